"""Colours and line styles that survive colour blindness and greyscale (Okabe–Ito hues).

The two voices differ in hue, lightness and dash: vermillion, solid, circles for the company;
a dark blue, dashed, squares for the public. The ravine's shading takes the hue of the voice
that sounds rosier, and is what the eye meets first: orange where the company does, blue where
the public does, the blue darker, so the two differ in greyscale and under deuteranopia too
(tests/dashboard/test_palette.py checks both). The 95% CI bands are a quiet, light,
neutral grey drawn beneath the shading, so they never read as one of its colours.
"""

CORPORATE = "#D55E00"  # vermillion; lighter in greyscale than PUBLIC; solid line, circles
PUBLIC = "#005A9C"  # dark blue (Okabe–Ito's #0072B2, darkened); dashed line, squares
RAVINE = "#333333"
CI_BAND = "rgba(90, 90, 90, 0.13)"  # every 95% CI band: light, neutral, no outline
COMPANY_ROSIER = "rgba(230, 159, 0, 0.42)"  # orange: the company sounds rosier
PUBLIC_ROSIER = "rgba(0, 114, 178, 0.5)"  # blue, darker than the orange: the public does
GAP_LABEL = "#f4f4f4"  # the hover label of a period without a value
INK = "#1b1b1b"
STATEMENT = "#009E73"  # bluish green diamonds on the timeline
EVENT = "#CC79A7"  # reddish purple: annotations, a dotted line or a faint span
EVENT_SPAN = "rgba(204, 121, 167, 0.14)"
ALERT = "#F0E442"  # yellow, outlined in INK: alert events, triangles on the ravine's panel
ALERT_EDGE = INK  # the outline keeps yellow visible on white, on the line and in greyscale
