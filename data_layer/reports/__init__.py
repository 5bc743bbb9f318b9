"""Offline reports (no streamlit): the 14-day lägesbild, the meeting protocol, the tertial/annual report for
kommunstyrelsen (lag 2023:196) and the weekly digest per area, each built as a Document (document.py) from scoped
queries and rendered to Markdown (markdown.py) or PDF (pdf.py, charts from charts.py). Only aggregates, action
titles and meeting texts are shown: never an incident's free text or exact position."""
