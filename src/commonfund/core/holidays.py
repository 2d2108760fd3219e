"""Rest days in mainland China (节假日): public holidays by the State Council's yearly notices, with the
adjusted working weekends (调休), from the maintained ``chinese-calendar`` package; outside the years it
covers, Saturday and Sunday."""

from __future__ import annotations

import datetime as dt

import chinese_calendar


def rest_day(day: dt.date) -> tuple[bool, str]:
    """``(is a rest day, its Chinese name)``: a public holiday such as 国庆节, or 周末."""
    try:
        holiday, name = chinese_calendar.get_holiday_detail(day)
    except NotImplementedError:
        return day.weekday() >= 5, "周末" if day.weekday() >= 5 else ""
    if not holiday:
        return False, ""
    return True, chinese_calendar.Holiday(name).chinese if name else "周末"


def working_day_near(day: dt.date) -> dt.date:
    """The nearest working day in the same month as *day* (earlier first), or *day* itself."""
    for offset in range(0, 31):
        for candidate in (day - dt.timedelta(days=offset), day + dt.timedelta(days=offset)):
            if candidate.month == day.month and not rest_day(candidate)[0]:
                return candidate
    return day
