"""Accessibility checks for browser tests: axe-core's WCAG 2.1 A/AA rules on the live page.

axe-core comes from the npm registry (``make axe``, pinned in the Makefile, MPL-2.0); a test
that needs it fails, never skips, when it is missing. What axe cannot see (names of groups,
states of toggles, focus after an error) is read from the accessibility tree by the tests
themselves, with Playwright's roles and names.
"""

from __future__ import annotations

from pathlib import Path

from playwright.sync_api import Page

AXE = Path(__file__).resolve().parents[1] / "build" / "axe" / "node_modules" / "axe-core" / \
    "axe.min.js"
TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]


def axe_violations(page: Page) -> list[dict]:
    """axe-core's violations of WCAG 2.1 A and AA on the page as it is now (every impact)."""
    assert AXE.exists(), f"axe-core is missing: run 'make axe' ({AXE})"
    if not page.evaluate("() => typeof window.axe !== 'undefined'"):
        page.add_script_tag(path=str(AXE))
    return page.evaluate(
        """async (tags) => {
            const result = await axe.run(document, {runOnly: {type: "tag", values: tags},
                                                    resultTypes: ["violations"]});
            return result.violations.map((v) => ({
                id: v.id, impact: v.impact, help: v.help,
                nodes: v.nodes.map((n) => n.target.join(" ") + " :: " + n.failureSummary)}));
        }""", TAGS)


def assert_accessible(page: Page, state: str) -> None:
    """No axe violation at all on ``page``; ``state`` names the page and state in the failure."""
    violations = axe_violations(page)
    lines = [f"{v['id']} ({v['impact']}): {v['help']}\n    " + "\n    ".join(v["nodes"][:5])
             for v in violations]
    assert not violations, f"axe on {state}:\n" + "\n".join(lines)
