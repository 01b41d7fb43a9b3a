"""Ketamine Clinic Finder & Intake Dashboard: logic modules (no Streamlit imports here)."""

__version__ = "0.1.0"
