"""Serving the books in Fava: ``commonfund serve`` and the Fava extension's pages."""
