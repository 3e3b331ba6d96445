"""Thin routers: parse, call the store or the page builder, return."""
