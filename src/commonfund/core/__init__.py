"""Core values every layer uses: errors, money, funds, the chart of accounts, holidays.

Imports nothing of commonfund.
"""
