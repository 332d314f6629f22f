"""`deskconsole phone listen`: the phone system's feed alone, without the console, writing to
the store; every console of the desk sees the lines through the store (DOMAIN §2)."""

from __future__ import annotations

from typing import Annotated, Literal

import typer

from deskconsole.cli.common import fail, state

app = typer.Typer(help="The phone system's feed (see [phone] in the README).", no_args_is_help=True)


@app.command("listen")
def listen(
    ctx: typer.Context,
    feed: Annotated[Literal["http", "ami"] | None, typer.Option(
        "--feed", help="http or ami (default: [phone] feed in the config).")] = None,
) -> None:
    """Run the HTTP feed (or the AMI client) until Ctrl+C, writing each call to the store."""
    import dataclasses

    from deskconsole.clock import SystemClock
    from deskconsole.feeds.runner import desk_lines, make_feed
    from deskconsole.phone_config import SecretMissing

    st = state(ctx)
    config, store = st.open_store()
    t = st.translator()
    if feed is not None:
        config = dataclasses.replace(config, phone=dataclasses.replace(config.phone, feed=feed))
    if config.phone.feed == "keys":
        fail("cli.phone.no_feed")
    if config.phone.feed == "ami" and not config.phone.ami_host:
        fail("cli.phone.no_ami")
    clock = SystemClock()
    lines = desk_lines(store, config, clock)
    try:
        runner = make_feed(config, lines, clock, on_state=lambda s: print(t(f"cli.phone.state.{s}"), flush=True))
    except SecretMissing as missing:
        fail("cli.phone.secret", detail=str(missing))
    except OSError as error:
        fail("cli.phone.address", address=f"{config.phone.http_host}:{config.phone.http_port}",
             detail=error.strerror or str(error))
    if config.phone.feed == "http":
        host, port = runner.address
        print(t("cli.phone.listening", address=f"{host}:{port}", desk=config.desk_name), flush=True)
    runner.serve()
