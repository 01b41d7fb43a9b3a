"""Test-only submissions: real-looking, clearly invented (example.org / .example domains, 555 numbers)."""

from __future__ import annotations

TUCSON_FORM = {
    "name": "Test-Only Saguaro Ketamine Clinic",
    "street": "100 N Example Ave",
    "city": "Tucson",
    "state": "AZ",
    "zip": "85712",
    "phone": "(520) 555-0142",
    "website": "https://saguaro-ketamine.example.org",
    "routes": ["iv_ketamine", "esketamine_nasal"],
    "conditions": ["neuropathic_pain", "crps", "treatment_resistant_depression"],
    "ketamine_assisted_psychotherapy": "",
    "accepts_insurance": "false",
    "va_community_care": "true",
    "self_pay_price_usd": "450",
    "price_note": "per infusion",
    "source_url": "https://saguaro-ketamine.example.org/ketamine-services",
    "role": "owner",
    "email": "director@saguaro-ketamine.example.org",
    "listing_id": "",
    "website_confirm": "",
}

HOSTILE_TEXTS = (
    '<script>window.__pwned=1</script><img src=x onerror="window.__pwned=1">',
    '=HYPERLINK("https://evil.example","click")',
    "+1-555-0100 @SUM(A1:A9) -2+3",
    "**bold** [link](javascript:alert(1)) `code` <b>tag</b> $x$ :red[red]",
    "line one\nline two\twith a tab",
    "Ünïcödé — “quotes” ’ 漢字 🙂",
    "'; DROP TABLE submissions; --",
)
