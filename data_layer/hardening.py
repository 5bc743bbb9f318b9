"""Production self-check: the settings a public deployment must have, as Swedish problem messages (no streamlit).

`problems(config, secrets, env)` judges given settings; `check(env)` gathers them (config.toml with STREAMLIT_*
overrides, or the running server's effective options via `get_option`; secrets.toml; the store) for app.py, which
refuses to start when LAGESBILD_ENV=production and anything is found, and for `python -m data_layer check-config`.
"""
from __future__ import annotations

import re
import tomllib
from pathlib import Path
from typing import Callable, Mapping
from urllib.parse import parse_qs, urlsplit

PRODUCTION_ENV = "LAGESBILD_ENV"
MAX_UPLOAD_MB = 200
MIN_COOKIE_SECRET = 32
MIN_SAFE_COUNT = 3
LOCAL_HOSTS = {"", "localhost", "127.0.0.1", "::1"}
SECURE_SSLMODES = {"require", "verify-ca", "verify-full"}

# (section, option): the options judged below. Streamlit's defaults apply where the file is silent.
CHECKED_OPTIONS = {
    ("client", "showErrorDetails"): "full",
    ("client", "toolbarMode"): "auto",
    ("server", "enableXsrfProtection"): True,
    ("server", "enableCORS"): True,
    ("server", "maxUploadSize"): 200,
    ("global", "developmentMode"): False,
    ("browser", "gatherUsageStats"): True,
    ("logger", "level"): "info",
}


def is_production(env: Mapping[str, str]) -> bool:
    """True when LAGESBILD_ENV says production (the self-check then guards the app's start)."""
    return env.get(PRODUCTION_ENV, "").strip().lower() in {"production", "prod", "produktion"}


def _env_name(section: str, option: str) -> str:
    return f"STREAMLIT_{section.upper()}_{re.sub(r'(?<!^)(?=[A-Z])', '_', option).upper()}"


def _parse(raw: str):
    low = raw.strip().lower()
    if low in {"true", "false"}:
        return low == "true"
    try:
        return int(raw)
    except ValueError:
        return raw.strip().strip('"')


def effective_config(config: Mapping, env: Mapping[str, str]) -> dict:
    """The checked options as Streamlit would use them: config.toml, overridden by STREAMLIT_<SECTION>_<OPTION>."""
    out: dict = {}
    for (section, option), default in CHECKED_OPTIONS.items():
        value = config.get(section, {}).get(option, default)
        if _env_name(section, option) in env:
            value = _parse(env[_env_name(section, option)])
        out.setdefault(section, {})[option] = value
    return out


def _option(config: Mapping, section: str, option: str):
    return config.get(section, {}).get(option, CHECKED_OPTIONS[(section, option)])


def _streamlit_problems(config: Mapping) -> list[str]:
    found = []
    details = _option(config, "client", "showErrorDetails")
    if details not in ("none", False):
        found.append(f"client.showErrorDetails är {details!r}: sätt \"none\" så att felspår aldrig visas i "
                     "webbläsaren.")
    if _option(config, "client", "toolbarMode") != "viewer":
        found.append("client.toolbarMode måste vara \"viewer\": annars ser besökare utvecklarmenyn.")
    if _option(config, "server", "enableXsrfProtection") is not True:
        found.append("server.enableXsrfProtection är avstängt: slå på skyddet mot XSRF.")
    if _option(config, "server", "enableCORS") is not True:
        found.append("server.enableCORS är avstängt: slå på CORS-skyddet.")
    upload = _option(config, "server", "maxUploadSize")
    if not isinstance(upload, int) or isinstance(upload, bool) or upload > MAX_UPLOAD_MB or upload < 1:
        found.append(f"server.maxUploadSize är {upload!r} MB: högst {MAX_UPLOAD_MB} (uppladdningar hålls i minnet).")
    if _option(config, "global", "developmentMode") is True:
        found.append("global.developmentMode är påslaget: stäng av utvecklarläget.")
    if _option(config, "browser", "gatherUsageStats") is not False:
        found.append("browser.gatherUsageStats måste vara false: ingen användningsstatistik ska lämna servern.")
    if str(_option(config, "logger", "level")).lower() == "debug":
        found.append("logger.level är \"debug\": felsökningsloggar kan innehålla personuppgifter; använd \"info\".")
    return found


def _secret_problems(secrets: Mapping) -> list[str]:
    auth = secrets.get("auth")
    if not isinstance(auth, Mapping):
        return []
    secret = str(auth.get("cookie_secret") or "")
    if len(secret) < MIN_COOKIE_SECRET:
        return [f"[auth] cookie_secret har {len(secret)} tecken: använd minst {MIN_COOKIE_SECRET} slumpmässiga "
                "tecken."]
    return []


def _store_problems(db_url: str, organisations: int | None, demo: bool) -> list[str]:
    found = []
    parts = urlsplit(db_url)
    scheme = parts.scheme.split("+", 1)[0]
    if scheme == "sqlite" and (organisations or 0) > 1:
        found.append(f"Lagret är en SQLite-fil men {organisations} organisationer delar det: använd PostgreSQL "
                     "(samtidiga skrivningar, behörigheter och säkerhetskopior).")
    if scheme.startswith("postgres") and (parts.hostname or "") not in LOCAL_HOSTS:
        sslmode = parse_qs(parts.query).get("sslmode", [""])[0]
        if sslmode not in SECURE_SSLMODES:
            found.append(f"Databasen på {parts.hostname} nås utan kryptering: lägg till sslmode=require "
                         "(eller verify-full) i databas-URL:en.")
    if demo:
        found.append("Lagret innehåller demodata med kända lösenord (\"demo\"): använd ett eget lager i "
                     "produktion.")
    return found


def _min_count_problems(env: Mapping[str, str], secrets: Mapping) -> list[str]:
    raw = env.get("LAGESBILD_MIN_COUNT") or (secrets.get("lagesbild") or {}).get("min_count")
    if raw in (None, ""):
        return []
    try:
        value = int(str(raw).strip())
    except ValueError:
        return [f"LAGESBILD_MIN_COUNT är {raw!r}: ange ett heltal (minst {MIN_SAFE_COUNT})."]
    if value < MIN_SAFE_COUNT:
        return [f"LAGESBILD_MIN_COUNT är {value}: under {MIN_SAFE_COUNT} kan små antal peka ut enskilda personer."]
    return []


def problems(config: Mapping, secrets: Mapping, env: Mapping[str, str], *, db_url: str | None = None,
             organisations: int | None = None, demo: bool = False) -> list[str]:
    """Everything that makes these settings unfit for production, in Swedish (empty list: fit).

    `config` is Streamlit's config as nested sections ({"client": {...}, "server": {...}}), already with any
    STREAMLIT_* overrides applied (see effective_config); `secrets` is secrets.toml as a dict; `env` the environment.
    The store facts (URL, number of organisations, demo data) are judged when given.
    """
    found = _streamlit_problems(config) + _secret_problems(secrets) + _min_count_problems(env, secrets)
    if db_url is not None:
        found += _store_problems(db_url, organisations, demo)
    return found


def read_toml(path: Path) -> dict:
    """The TOML file as a dict ({} when it does not exist)."""
    if not path.is_file():
        return {}
    with path.open("rb") as fh:
        return tomllib.load(fh)


def store_facts(db_url: str) -> tuple[int | None, bool]:
    """(number of organisations, holds demo data) of the store at `db_url`; (None, False) when it cannot be read."""
    from sqlalchemy import func, select

    from data_layer.db import make_engine
    from data_layer.models import Organisation, StoreInfo

    engine = make_engine(db_url)
    try:
        with engine.connect() as conn:
            organisations = conn.execute(select(func.count()).select_from(Organisation)).scalar_one()
            demo = conn.execute(select(StoreInfo.value).where(StoreInfo.key == "demo")).scalar_one_or_none()
        return organisations, demo == "true"
    except Exception:  # noqa: BLE001 - an unreadable store is reported by the schema check, not here
        return None, False
    finally:
        engine.dispose()


def check(env: Mapping[str, str], *, root: Path | None = None,
          get_option: Callable[[str], object] | None = None) -> list[str]:
    """The production problems of the deployment in `root` (default: the project; its .streamlit/config.toml and
    secrets.toml) and of its store. The running app passes Streamlit's `get_option`, so command-line flags and
    STREAMLIT_* variables count as Streamlit applies them."""
    from data_layer.db import PROJECT_ROOT, resolve_db_url

    root = PROJECT_ROOT if root is None else root

    if get_option is not None:
        config: dict = {}
        for section, option in CHECKED_OPTIONS:
            config.setdefault(section, {})[option] = get_option(f"{section}.{option}")
    else:
        config = effective_config(read_toml(root / ".streamlit" / "config.toml"), env)
    secrets_file = root / ".streamlit" / "secrets.toml"
    db_url = resolve_db_url(env=dict(env), secrets_file=secrets_file)
    organisations, demo = store_facts(db_url)
    return problems(config, read_toml(secrets_file), env, db_url=db_url, organisations=organisations, demo=demo)
