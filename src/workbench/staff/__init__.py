"""Staff accounts, roles, sessions and the audit trail (``docs/security.md``)."""
