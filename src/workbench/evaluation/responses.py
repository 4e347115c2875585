"""The answers an evaluation analyses: its questionnaire's, outside live workshop sessions.

In a live workshop, the room answers a few of the questionnaire's questions (three, say):
such answers are not respondents of the survey. They are kept apart — counted and shown
separately — unless the framework says ``workshops: include``.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

from workbench.evaluation.framework import EvaluationFramework
from workbench.forms.reading import FormAnswers
from workbench.i18n import ngettext

__all__ = ["EvaluationAnswers", "evaluation_answers"]


@dataclass(frozen=True)
class EvaluationAnswers:
    data: FormAnswers  # the answers analysed
    workshop: int  # answers given in live workshop sessions
    included: bool  # whether those are among ``data``'s

    @property
    def note(self) -> str:
        """What became of the workshop answers, in French ("" when there are none)."""
        n = self.workshop
        if not n:
            return ""
        if self.included:
            return ngettext("Including {n} answer given during a live workshop session (the "
                            "framework says 'workshops: include').",
                            "Including {n} answers given during live workshop sessions (the "
                            "framework says 'workshops: include').", n).format(n=n)
        return ngettext("{n} answer given during a live workshop session is kept apart and "
                        "not counted here (the framework's option 'workshops: include' would "
                        "count it).",
                        "{n} answers given during live workshop sessions are kept apart and "
                        "not counted here (the framework's option 'workshops: include' would "
                        "count them).", n).format(n=n)


def evaluation_answers(framework: EvaluationFramework, data: FormAnswers
                       ) -> EvaluationAnswers:
    """``data`` (the framework's questionnaire) less its workshop answers, unless included."""
    included = framework.workshops == "include"
    workshop = sum(bool(r.get("in_session")) for r in data.responses)
    if included or not workshop:
        return EvaluationAnswers(data, workshop, included)
    kept = [r for r in data.responses if not r.get("in_session")]
    return EvaluationAnswers(replace(data, responses=kept), workshop, included)
