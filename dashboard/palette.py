"""Colours and line styles that survive colour blindness and greyscale (Okabe–Ito palette).

The two voices differ in hue, lightness and dash, so no reader depends on hue alone.
"""

CORPORATE = "#D55E00"  # vermillion, dark in greyscale; solid line, circle markers
PUBLIC = "#0072B2"  # blue, lighter in greyscale; dashed line, square markers
RAVINE = "#333333"
CORPORATE_BAND = "rgba(213, 94, 0, 0.18)"
PUBLIC_BAND = "rgba(0, 114, 178, 0.18)"
CORPORATE_HIGHER = "rgba(230, 159, 0, 0.35)"  # orange: the company sounds rosier
PUBLIC_HIGHER = "rgba(86, 180, 233, 0.35)"  # sky blue: the public sounds rosier
RAVINE_BAND = "rgba(51, 51, 51, 0.15)"
STATEMENT = "#009E73"  # bluish green diamonds on the timeline
