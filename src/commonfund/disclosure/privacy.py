"""Privacy of public documents (公示): unit numbers only, names masked as 张**, no phone or ID numbers.

Every free text that goes into a disclosure (payees, narrations, titles) passes through a
:class:`Scrubber` built from the household register and the compound's config: each owner name in the
register, each committee/supervisory member and each property-company staff name is replaced by its
masked form wherever it occurs, each bank account number of the register (收款账号, with or without
spaces) and each payee name (收款户名) too, and anything that looks like a mobile, landline or ID-card number
is replaced by asterisks. A company name that is an owner (the developer) is masked too: better a masked
company than an unmasked person.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

from commonfund.compound.config import CompoundConfig
from commonfund.register.model import HouseholdRegister

_PHONE = re.compile(r"(?<!\d)(?:\+?86[- ]?)?1[3-9]\d[- ]?\d{4}[- ]?\d{4}(?!\d)")
_LANDLINE = re.compile(r"(?<!\d)0\d{2,3}-\d{7,8}(?!\d)")
_ID_CARD = re.compile(r"(?<![0-9A-Za-z])\d{17}[\dXx](?![0-9A-Za-z])")


def mask_name(name: str) -> str:
    """Keep the first character, replace the rest by ``*``: ``张伟`` → ``张*``, ``欧阳娜娜`` → ``欧***``.

    >>> mask_name("张伟")
    '张*'
    """
    name = name.strip()
    if len(name) <= 1:
        return "*" if name else ""
    return name[0] + "*" * (len(name) - 1)


def scrub_numbers(text: str) -> str:
    """Replace phone and ID-card numbers in *text* by asterisks of the same length."""
    for pattern in (_ID_CARD, _PHONE, _LANDLINE):
        text = pattern.sub(lambda m: "*" * len(m.group()), text)
    return text


@dataclass(frozen=True)
class Scrubber:
    """Masks the given personal names and any phone/ID numbers in free text.

    Attributes:
      names: The personal names to mask (longest first, so 欧阳娜娜 wins over 欧阳).
      accounts: Bank account numbers (digits) to star out wholly, spaced or not.
    """

    names: tuple[str, ...]
    accounts: tuple[str, ...] = ()

    @classmethod
    def for_compound(cls, register: HouseholdRegister, config: CompoundConfig) -> Scrubber:
        """Every owner name of *register* plus the members and staff named in *config*."""
        names: set[str] = {h.owner_name.strip() for h in register if h.owner_name.strip()}
        names |= {h.payee_name.strip() for h in register if h.payee_name.strip()}
        names |= {m.name.strip() for m in (*config.committee, *config.supervisors)}
        names |= {s.strip() for s in config.property_staff}
        return cls.of(names, (h.payee_account for h in register if h.payee_account))

    @classmethod
    def of(cls, names: Iterable[str], accounts: Iterable[str] = ()) -> Scrubber:
        return cls(tuple(sorted({n for n in names if n}, key=lambda n: (-len(n), n))),
                   tuple(sorted(set(accounts), key=lambda a: (-len(a), a))))

    @property
    def _pattern(self) -> re.Pattern[str] | None:
        cached: re.Pattern[str] | None = self.__dict__.get("_compiled")
        if cached is None and self.names:
            cached = re.compile("|".join(re.escape(n) for n in self.names))
            object.__setattr__(self, "_compiled", cached)
        return cached

    @property
    def _account_pattern(self) -> re.Pattern[str] | None:
        cached: re.Pattern[str] | None = self.__dict__.get("_compiled_accounts")
        if cached is None and self.accounts:
            spaced = (r"[ \u3000]?".join(a) for a in self.accounts)
            cached = re.compile(r"(?<!\d)(?:" + "|".join(spaced) + r")(?!\d)")
            object.__setattr__(self, "_compiled_accounts", cached)
        return cached

    def __call__(self, text: str) -> str:
        """*text* with every known name masked and every bank account, phone or ID number starred."""
        accounts = self._account_pattern
        if accounts is not None:
            text = accounts.sub(lambda m: "*" * len(m.group()), text)
        pattern = self._pattern
        if pattern is not None:
            text = pattern.sub(lambda m: mask_name(m.group()), text)
        return scrub_numbers(text)
