"""Alerts: rules over the daily ravine, and delivery of their events by webhook and e-mail."""
