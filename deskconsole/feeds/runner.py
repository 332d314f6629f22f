"""Start the configured feed (`[phone] feed`) around a `PhoneEvents`: with the console (the
console's lines, its signed-on operator) or alone (`deskconsole phone listen`: the desk's
shift, the lines reach every console through the store)."""

from __future__ import annotations

from collections.abc import Callable

from deskconsole.cadence import Cadence
from deskconsole.clock import Clock
from deskconsole.feeds.desk import actor_source
from deskconsole.services.ring_lines import PhoneEvents


def desk_lines(store, config, clock: Clock, signed_on: Callable = lambda: None) -> PhoneEvents:
    """The lines a feed writes through: the console's (`signed_on` is its operator) or, with no
    console, the desk's (`phone listen`): then each event is stamped with the desk's shift."""
    cadence: Cadence = config.ring_cadence
    return PhoneEvents(store, actor_source(store, config.desk_name, clock, signed_on), cadence, config.ring_limit,
                       clock=clock)


def make_feed(config, phone: PhoneEvents, clock: Clock, *, env=None, on_state: Callable[[str], None] = lambda _s: None):
    """The feed object (not started): a CtiListener for "http", an AmiFeed for "ami", None
    for "keys". Raises phone_config.SecretMissing or OSError (the address is taken)."""
    settings = config.phone
    if settings.feed == "http":
        from deskconsole.feeds.cti import CtiListener

        return CtiListener(phone.feed, host=settings.http_host, port=settings.http_port,
                           token=settings.cti_token(env), clock=clock, own_extension=settings.own_extension)
    if settings.feed == "ami":
        from deskconsole.feeds.ami import AmiFeed

        return AmiFeed(phone, settings, settings.ami_secret(env), clock, on_state=on_state)
    return None
