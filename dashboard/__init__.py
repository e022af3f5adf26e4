"""Analyst dashboard: page, static assets and Plotly figure builders."""
