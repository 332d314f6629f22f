"""`deskconsole db upgrade|check|backup PATH|copy --to URL`."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from deskconsole.cli.common import fail, found_problem, state

app = typer.Typer(help="Database maintenance.", no_args_is_help=True)


@app.command("upgrade")
def upgrade(ctx: typer.Context) -> None:
    """Upgrade the schema to this version's head (the console does this on start too)."""
    from deskconsole.db import migrate

    st = state(ctx)
    _, store = st.open_store(create=True)
    restored = migrate.restore_indexes(store)
    if restored:
        print(st.translator()("indexes.restored", count=len(restored), names=", ".join(restored)))
    print(st.translator()("cli.db.schema", schema=",".join(migrate.current(store))))


@app.command("grant")
def grant(
    ctx: typer.Context,
    role: Annotated[str, typer.Option("--role", help="The PostgreSQL role the desks sign in as.")],
    apply: Annotated[bool, typer.Option("--apply", help="Run the statements (as the store's owner).")] = False,
) -> None:
    """PostgreSQL: the GRANTs for a console role that may add to the audit trail and ticket
    history but never change or delete them. Printed; run with --apply."""
    from deskconsole.db import grants

    st = state(ctx)
    if not grants.valid_role(role):
        fail("cli.db.grant_role", role=role[:64])
    config = st.config()
    if not config.db_url.startswith("postgresql"):
        fail("cli.db.grant_postgresql")
    lines = grants.statements(role)
    if not apply:
        for line in lines:
            print(line + ";")
        return
    _, store = st.open_store()
    with store.engine.begin() as conn:
        for line in lines:
            conn.exec_driver_sql(line)
    print(st.translator()("cli.db.granted", role=role, count=len(lines)))


@app.command("check")
def check(ctx: typer.Context) -> None:
    """Integrity check and schema version. Exit 0 and 'ok' when all is well, 1 when not.
    Never creates a file: a mistyped path is refused."""
    from deskconsole.db import migrate
    from deskconsole.db.store import Store

    st = state(ctx)
    config = st.config()
    unopened = Store(config.db_url)
    path = unopened.sqlite_path
    if path is not None and not path.is_file():
        fail("cli.db.no_such_file", path=path)
    store = unopened.open(migrate=False)
    problems = migrate.check(store) + _missing_tables(store) + _missing_guards(store)
    if problems:
        found_problem("cli.db.problems", problems="; ".join(problems))
    print(st.translator()("cli.db.ok", where=store.sqlite_path or store.url.split("@")[-1],
                          schema=",".join(migrate.current(store))))


def _missing_guards(store) -> list[str]:
    """The triggers that refuse edits of the trail (db/guards.py), dropped by hand."""
    from deskconsole.db import guards, migrate

    if not store.is_sqlite or migrate.current(store) != migrate.heads():
        return []
    with store.engine.connect() as conn:
        missing = sorted(set(guards.names()) - guards.present(conn))
    return [f"missing guards: {', '.join(missing)}"] if missing else []


def _missing_tables(store) -> list[str]:
    """A table dropped by hand (the audit trail, say) leaves the schema version as it was."""
    from sqlalchemy import inspect
    from sqlmodel import SQLModel

    import deskconsole.models  # noqa: F401 - registers every table

    present = set(inspect(store.engine).get_table_names())
    missing = sorted(set(SQLModel.metadata.tables) - present)
    return [f"missing tables: {', '.join(missing)}"] if missing else []


@app.command("backup")
def backup(
    ctx: typer.Context,
    path: Annotated[Path, typer.Argument(help="New file to write.")],
    with_key: Annotated[bool, typer.Option(
        "--with-key", help="Also copy this desk's audit key beside the backup (PATH.audit.key, owner-only).")] = False,
) -> None:
    """Copy the SQLite store with the online backup API (safe while consoles run), then verify it."""
    from deskconsole.cli.progress import progress
    from deskconsole.db.maintenance import backup as do_backup

    st = state(ctx)
    _, store = st.open_store()
    with progress(st, "progress.backup") as step:
        result = do_backup(store, path, progress=step)
    if with_key:
        _copy_key(store, Path(str(result["path"]) + ".audit.key"))
    total = sum(result["rows"].values())
    print(st.translator()("cli.db.backup_done", path=result["path"], schema=result["schema"], rows=total))


def _copy_key(store, target: Path) -> None:
    """The key beside the backup, owner-only: whoever holds both can forge the chain, so the
    key goes only where it is asked to (README "Audit trail")."""
    from deskconsole.services.audit_key import create_key

    key = store.keys.get(create=False)
    if key is None:
        fail("audit_key.backup.no_key", path=str(store.keys.path))
    copied = create_key(target, secret=key.secret)
    if copied.secret != key.secret:
        fail("audit_key.backup.exists", path=str(target))


def _carry_checkpoints(store, target_url: str) -> None:
    """The copy holds the same chain: the audit checkpoints that pin it go with it."""
    from deskconsole.db.store import Store
    from deskconsole.services import audit_checkpoints

    kept, _ = audit_checkpoints.read(store.checkpoints_path)
    path = Store(target_url, keys=store.keys, config_dir=store.config_dir).checkpoints_path
    if path is not None and path != store.checkpoints_path:
        for cp in kept:
            audit_checkpoints.append(path, cp)


@app.command("copy")
def copy(
    ctx: typer.Context,
    to: Annotated[str, typer.Option("--to", help="Target: an empty database URL (postgresql+psycopg://...) or a new file.")],
) -> None:
    """Copy every table to another, empty database and verify counts and checksums."""
    from deskconsole.config import resolve_db_url
    from deskconsole.db.copy import copy_store

    st = state(ctx)
    config, store = st.open_store()
    from deskconsole.cli.progress import progress

    target_url = resolve_db_url(to, config.data_dir)
    with progress(st, "progress.copy") as step:
        result = copy_store(store, target_url, progress=step)
    _carry_checkpoints(store, target_url)
    print(st.translator()("reliability.copy.done", tables=len(result.rows), rows=result.total,
                          target=result.target))
