"""Helpers the tests import (`from support.NAME import ...`); the fixtures are in
tests/conftest.py.

- cliharness: `run_cli(*args)`, trailmix run in-process through its real entry point.
- strategies: hypothesis strategies for runners, races and trail libraries.
- export_helpers: the plan files in plans/, a runner, the mixing rules' invariants.
- logdata: the shared real activities, read once per session.
- osmdata: the shared OpenStreetMap extracts and DEM tiles, and starts within them.
- webdata: onboarding answers, hostile uploads, and the app served by uvicorn.
"""
