"""Views of the books every feature shares: payments, contracts, evidence, allocation, sub-ledgers, payouts."""
