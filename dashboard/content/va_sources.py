"""The VA pathway's entries of the one source register (``citations.REGISTER`` takes them in).

Why a module of their own: the register module was already at its size limit, and these sources belong
together (VA pages, VA's Inspector General, the Federal Register, and the news that corroborates a VA
release). They are plain field values here, made into ``citations.Source`` entries there, so the register
stays one place and this module imports nothing of ours.

Facts come from the project's VA reference (shared/reference/va.md, fact ids F1–F40). A VA release read
only on a reprint is cited by name and never linked (``unverified``), as the register does for any copy.
``DATES`` is the date each page shows (None: the page shows none); the pathway prints it with the fact.
"""

from __future__ import annotations

# host → publisher, added to the register's allow-list.
HOSTS: dict[str, str] = {
    "www.hsrd.research.va.gov": "US Department of Veterans Affairs (Health Services Research & Development)",
    "marketplace.va.gov": "US Department of Veterans Affairs (Diffusion Marketplace)",
    "www.blogs.va.gov": "US Department of Veterans Affairs (VAntage Point blog)",
    "www.vaoig.gov": "VA Office of Inspector General",
    "www.govinfo.gov": "US Government Publishing Office (Federal Register)",
    "www.healio.com": "Healio (medical news)",
    "www.aha.org": "American Hospital Association (news)",
}

ENTRIES: tuple[dict[str, object], ...] = (
    {
        "key": "va_spravato_2019",
        "title": "VA news release: VA providers can offer the newly approved Spravato nasal spray",
        "publisher": "US Department of Veterans Affairs",
        "kind": "government",
        "ref": "va.md F1–F4",
        "unverified": True,  # read on a reprint; the va.gov original was not found
    },
    {
        "key": "healio_va_esketamine_2019",
        "title": "VA to offer esketamine nasal spray for depression",
        "publisher": "Healio",
        "kind": "news",
        "url": "https://www.healio.com/news/psychiatry/20190319/va-to-offer-esketamine-nasal-spray-for-depression",
        "ref": "va.md F1",
    },
    {
        "key": "va_esketamine_referral",
        "title": "VA news release: esketamine treatments for severe depression",
        "publisher": "US Department of Veterans Affairs",
        "kind": "government",
        "ref": "va.md F9",
        "unverified": True,  # read on a press-release distributor's copy
    },
    {
        "key": "va_hsrd_iv_ketamine_2023",
        "title": "IV ketamine for depression in VA medical centers: abstract 1192, 2023 HSR&D/QUERI National "
        "Conference",
        "publisher": "US Department of Veterans Affairs (Health Services Research & Development)",
        "kind": "government",
        "url": "https://www.hsrd.research.va.gov/meetings/2023/abstract-display.cfm?AbsNum=1192",
        "ref": "va.md F11",
    },
    {
        "key": "va_cc_eligibility",
        "title": "Eligibility for community care outside VA",
        "publisher": "US Department of Veterans Affairs",
        "kind": "government",
        "url": "https://www.va.gov/resources/eligibility-for-community-care-outside-va/",
        "ref": "va.md F20–F22",
    },
    {
        "key": "va_access_standards_2019",
        "title": "VA news release (Wilmington VA Medical Center): new community care options and access "
        "standards from 6 June 2019",
        "publisher": "US Department of Veterans Affairs",
        "kind": "government",
        "ref": "va.md F23",
        "unverified": True,  # read in a newspaper that printed the release
    },
    {
        "key": "aha_access_standards_2019",
        "title": "VA proposes access standards for new community care program",
        "publisher": "American Hospital Association",
        "kind": "news",
        "url": "https://www.aha.org/news/headline/2019-01-30-va-proposes-access-standards-new-community-care-program",
        "ref": "va.md F23",
    },
    {
        "key": "fr_access_standards_2020",
        "title": "Update to Access Standards Drive Time Calculations (Federal Register, 15 July 2020; 38 CFR 17.4040)",
        "publisher": "US Government Publishing Office",
        "kind": "government",
        "url": "https://www.govinfo.gov/content/pkg/FR-2020-07-15/html/2020-14341.htm",
        "ref": "va.md F24",
    },
    {
        "key": "va_mission_launch",
        "title": "VA launches new health care options under MISSION Act",
        "publisher": "US Department of Veterans Affairs (VAntage Point blog)",
        "kind": "government",
        "url": "https://www.blogs.va.gov/VAntage/61286/va-launches-new-health-care-options-mission-act/",
        "ref": "va.md F26",
    },
    {
        "key": "va_marketplace_ketamine",
        "title": "From resistance to resilience: a Veteran's renewal with ketamine",
        "publisher": "US Department of Veterans Affairs (Diffusion Marketplace)",
        "kind": "government",
        "url": "https://marketplace.va.gov/innovations/from-resistance-to-resilience-a-veteran-s-renewal-with-ketamine",
        "ref": "va.md F27",
    },
    {
        "key": "va_oig_san_diego",
        "title": "Deficiencies in the coordination of care for patients with treatment-resistant depression, VA San "
        "Diego Healthcare System (Report 20-03359-220)",
        "publisher": "VA Office of Inspector General",
        "kind": "government",
        "url": "https://www.vaoig.gov/reports/hotline-healthcare-inspection/"
        "deficiencies-coordination-care-patients-treatment-resistant",
        "ref": "va.md F29",
    },
)

# The date each cited page shows, as the reference records it; None: the page shows none. The crisis-line
# entries already in the register are dated here too, since the pathway cites them.
DATES: dict[str, str | None] = {
    "va_spravato_2019": None,  # the reprint shows no date; Healio dates the announcement 19 March 2019
    "healio_va_esketamine_2019": "2019-03-19",
    "va_esketamine_referral": None,
    "va_hsrd_iv_ketamine_2023": "2023",
    "va_cc_eligibility": "2023-07-06",
    "va_access_standards_2019": "2019-05-31",
    "aha_access_standards_2019": "2019-01-30",
    "fr_access_standards_2020": "2020-07-15",
    "va_mission_launch": None,
    "va_marketplace_ketamine": None,
    "va_oig_san_diego": None,
    "dailymed_spravato": None,
    "vcl": None,
    "va_asheville_vcl": "2022-07-25",
}
