"""The desk's other registers (DOMAIN §3): key lending, goods release and the lending counter.

A package with a small public: `keys` (lend, return, overdue), `goods` (issue, check),
`loans` (lend, return), `rules` (the company's catalogue and rules from data/), `common`
(void) and `figures` (the counts the summary and the header read). Query functions for a
unit's or a caller's timeline: `keys.key_loans_for_unit` / `key_loans_for_phone`,
`goods.goods_releases_for_unit` / `goods_releases_for_phone` (newest first, keyset pages).
"""

from deskconsole.services.registers import common, goods, keys, loans, rules
from deskconsole.services.registers.common import void
from deskconsole.services.registers.goods import (
    ReleaseForm,
    check_release,
    goods_releases_for_unit,
    issue_release,
)
from deskconsole.services.registers.keys import (
    KeyLendForm,
    key_loans_for_unit,
    lend_key,
    return_key,
)
from deskconsole.services.registers.loans import ItemLendForm, lend_item, return_item

__all__ = [
    "ItemLendForm", "KeyLendForm", "ReleaseForm", "check_release", "common", "goods", "goods_releases_for_unit",
    "issue_release", "key_loans_for_unit", "keys", "lend_item", "lend_key", "loans", "return_item", "return_key",
    "rules", "void",
]
