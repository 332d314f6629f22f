"""The rights of a console role on a PostgreSQL store: everything a desk does, and no UPDATE,
DELETE or TRUNCATE of the audit trail or the ticket history (SQLite gets triggers instead,
db/guards.py). The chain head may be updated (every append moves it) but never deleted.

What this role cannot do is done by the store's owner: schema upgrades (`db upgrade`), the
retention purge (it blanks personal data in ticket history), `demo`, and `db copy` into the
store. Give desks the console role and keep the owner's password off them."""

from __future__ import annotations

import re

from deskconsole.db.guards import APPEND_ONLY

HEAD = "audit_head"
_ROLE = re.compile(r"^[A-Za-z_][A-Za-z0-9_]{0,62}$")


def valid_role(name: str) -> bool:
    return bool(_ROLE.match(name or ""))


def statements(role: str, schema: str = "public") -> list[str]:
    """The GRANT statements, in order (a REVOKE first, so running them again is the same)."""
    from sqlmodel import SQLModel

    import deskconsole.models  # noqa: F401 - registers every table

    if not valid_role(role):
        raise ValueError(role)
    who, where = f'"{role}"', f'"{schema}"'
    out = [f"REVOKE ALL ON ALL TABLES IN SCHEMA {where} FROM {who}",
           f"GRANT USAGE ON SCHEMA {where} TO {who}",
           f"GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA {where} TO {who}",
           f"GRANT SELECT ON {where}.alembic_version TO {who}"]
    for table in sorted(SQLModel.metadata.tables):
        if table in APPEND_ONLY:
            rights = "SELECT, INSERT"
        elif table == HEAD:
            rights = "SELECT, INSERT, UPDATE"
        else:
            rights = "SELECT, INSERT, UPDATE, DELETE"
        out.append(f'GRANT {rights} ON {where}."{table}" TO {who}')
    return out
