"""Reparto settings. Everything that differs between machines comes from the environment."""

import datetime as dt
from pathlib import Path
from urllib.parse import urlparse

import dj_database_url
from celery.schedules import crontab
from csp.constants import NONE, SELF, UNSAFE_INLINE
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

from core.env import env_bool, env_int, env_list, env_str

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(env_str("REPARTO_VAR_DIR", str(BASE_DIR / "var")))

DEBUG = env_bool("DJANGO_DEBUG", default=False)

SECRET_KEY = env_str("SECRET_KEY")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured("SECRET_KEY must be set when DJANGO_DEBUG is off.")
    SECRET_KEY = "dev-only-insecure-key-never-use-in-production"  # noqa: S105

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ["127.0.0.1", "localhost", "testserver"] if DEBUG else [])
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", [])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "axes",
    "rest_framework",
    "rest_framework.authtoken",
    "import_export",
    "simple_history",
    "django_celery_beat",
    "core",
    "requests_intake",
    "inventory",
    "logistics",
    "delivery",
    "routing",
    "reports",
    "fixtures",
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "api",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "core.middleware.SessionIdleTimeoutMiddleware",
    "core.middleware.PasswordChangeRequiredMiddleware",
    "core.middleware.PrivatePagesMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    # Last, as django-axes asks: it turns a locked-out sign-in into the locked-out page.
    "axes.middleware.AxesMiddleware",
]

# The planning board's map background. Offline, or with MAP_TILE_URL empty, the board draws routes without it.
MAP_TILE_URL = env_str("MAP_TILE_URL", "https://tile.openstreetmap.org/{z}/{x}/{y}.png")
MAP_TILE_ATTRIBUTION = env_str(
    "MAP_TILE_ATTRIBUTION", '&copy; <a href="https://www.openstreetmap.org/copyright">OpenStreetMap</a>'
)

# Content security policy: scripts only from our own static files (no inline script anywhere), pictures from
# us, the map's tile server and the phone's own camera/signature (data: and blob: URLs), nothing framed.
_tile_origin = "{0.scheme}://{0.netloc}".format(urlparse(MAP_TILE_URL)) if MAP_TILE_URL else None
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        # style="" attributes carry per-round colours; no script can be injected through them.
        "style-src": [SELF, UNSAFE_INLINE],
        "img-src": [SELF, "data:", "blob:", *([_tile_origin] if _tile_origin else [])],
        "connect-src": [SELF],
        "worker-src": [SELF],
        "object-src": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    }
}

if not DEBUG:  # production serves its collected static files itself; runserver does it in development
    MIDDLEWARE.insert(1, "whitenoise.middleware.WhiteNoiseMiddleware")

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "core.roles.roles_context",
            ],
            "builtins": ["core.templatetags.dates"],
        },
    },
]

if not env_str("DATABASE_URL"):
    VAR_DIR.mkdir(parents=True, exist_ok=True)  # the small-town default keeps its SQLite file here
DATABASES = {
    "default": dj_database_url.parse(
        env_str("DATABASE_URL", f"sqlite:///{VAR_DIR / 'reparto.sqlite3'}"),
        conn_max_age=env_int("DATABASE_CONN_MAX_AGE", 0),
        # A kept connection is checked before each request, so a restarted database costs one error, not many.
        conn_health_checks=True,
    )
}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# Staff accounts open the personal data of vulnerable people: long passwords, not like the user's name, not common,
# not only digits. Checked when a password is set through a form or `changepassword`.
PASSWORD_MIN_LENGTH = env_int("PASSWORD_MIN_LENGTH", 12)
if PASSWORD_MIN_LENGTH < 12:
    raise ImproperlyConfigured(f"PASSWORD_MIN_LENGTH={PASSWORD_MIN_LENGTH} must be at least 12.")
# The town's name is the first word anyone here tries in a password; refused, accents and case aside.
MUNICIPALITY_NAME = env_str("MUNICIPALITY_NAME")
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "core.passwords.FoldedUserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": PASSWORD_MIN_LENGTH},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
    {"NAME": "core.passwords.RepeatedCharactersValidator"},
    {"NAME": "core.passwords.SequenceValidator"},
    {"NAME": "core.passwords.PlaceNameValidator"},
]
# Office computers are shared: a session ends SESSION_HOURS after signing in (a working day) or after
# SESSION_IDLE_MINUTES without a request (core.middleware.SessionIdleTimeoutMiddleware), whichever comes first.
SESSION_HOURS = env_int("SESSION_HOURS", 10)
if not 1 <= SESSION_HOURS <= 24:
    raise ImproperlyConfigured(f"SESSION_HOURS={SESSION_HOURS} must be between 1 and 24.")
SESSION_COOKIE_AGE = SESSION_HOURS * 3600
SESSION_IDLE_MINUTES = env_int("SESSION_IDLE_MINUTES", 30)
if not 5 <= SESSION_IDLE_MINUTES <= SESSION_HOURS * 60:
    raise ImproperlyConfigured(
        f"SESSION_IDLE_MINUTES={SESSION_IDLE_MINUTES} must be at least 5 and at most SESSION_HOURS × 60 "
        f"({SESSION_HOURS * 60})."
    )
# django-axes watches every sign-in (the login page and the admin's): after LOGIN_FAILURE_LIMIT wrong passwords
# for one user name from one address, that pair is locked out for LOGIN_LOCKOUT_MINUTES, even with the right
# password. Other people, and the same person from elsewhere, can still sign in. `manage.py axes_reset_username
# NAME` unlocks sooner. API tokens are not passwords and are not counted.
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
LOGIN_FAILURE_LIMIT = env_int("LOGIN_FAILURE_LIMIT", 5)
if LOGIN_FAILURE_LIMIT < 1:
    raise ImproperlyConfigured(f"LOGIN_FAILURE_LIMIT={LOGIN_FAILURE_LIMIT} must be at least 1.")
LOGIN_LOCKOUT_MINUTES = env_int("LOGIN_LOCKOUT_MINUTES", 30)
if LOGIN_LOCKOUT_MINUTES < 1:
    raise ImproperlyConfigured(f"LOGIN_LOCKOUT_MINUTES={LOGIN_LOCKOUT_MINUTES} must be at least 1.")
AXES_FAILURE_LIMIT = LOGIN_FAILURE_LIMIT
AXES_COOLOFF_TIME = dt.timedelta(minutes=LOGIN_LOCKOUT_MINUTES)
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
# The same client address as every rate limit (TRUSTED_PROXY_COUNT behind proxies).
AXES_CLIENT_IP_CALLABLE = "core.security.client_address"
AXES_LOCKOUT_CALLABLE = "core.security.lockout_response"
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

LANGUAGE_CODE = "es"
LANGUAGES = [("es", _("Spanish")), ("en", _("English")), ("ca", _("Catalan"))]
# Requesters write in more languages than the interface speaks: messages to them have templates in these too
# (requests_intake/templates/notifications/<language>/), and fall back to Spanish where one is missing.
REQUESTER_LANGUAGES = [
    *LANGUAGES,
    ("ar", _("Arabic")),
    ("ro", _("Romanian")),
    ("uk", _("Ukrainian")),
    ("fr", _("French")),
    ("zh", _("Chinese")),
]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = env_str("TIME_ZONE", "Europe/Madrid")
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
# Production serves static files from the web process (whitenoise), compressed and with hashed names for caching;
# `collectstatic` writes them. Development serves them as they are.
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
        if DEBUG
        else "core.staticfiles.ModuleAwareStaticFilesStorage"
    },
}

# Proof of delivery (signatures, photos): never served as public files, only through views that check the role.
MEDIA_ROOT = Path(env_str("REPARTO_MEDIA_DIR", str(VAR_DIR / "media")))
# Largest signature or photo the driver's phone may send; the page shrinks photos before sending.
PROOF_MAX_BYTES = env_int("REPARTO_PROOF_MAX_BYTES", 2 * 1024 * 1024)
# A queued delivery carries its proof as text (base64, a third bigger): the request must have room for it.
DATA_UPLOAD_MAX_MEMORY_SIZE = max(2_621_440, PROOF_MAX_BYTES * 2)
# Uploaded files larger than this go to a temporary file rather than memory. Each import then refuses a file past
# its own size before reading it (core.sheets.SheetLimits), and reads spreadsheets streamed, within bounds.
FILE_UPLOAD_MAX_MEMORY_SIZE = 2_621_440

# The address people open Reparto at; printed in the QR codes of the route sheets.
SITE_URL = env_str("SITE_URL", "http://127.0.0.1:8000")
# Where route sheets and loading lists are written.
MANIFEST_DIR = Path(env_str("REPARTO_MANIFEST_DIR", str(VAR_DIR / "manifests")))

# Notifications: the default backend stores the message and logs it; real channels plug in here.
NOTIFICATION_BACKEND = env_str("NOTIFICATION_BACKEND", "requests_intake.notifications.LoggingBackend")
# With NOTIFICATION_BACKEND=requests_intake.notifications.ChannelBackend: e-mail goes through Django's mail
# (EMAIL_* settings), SMS and WhatsApp are POSTed to these providers with the token as a bearer token.
SMS_PROVIDER_URL = env_str("SMS_PROVIDER_URL")
SMS_PROVIDER_TOKEN = env_str("SMS_PROVIDER_TOKEN")
WHATSAPP_PROVIDER_URL = env_str("WHATSAPP_PROVIDER_URL")
WHATSAPP_PROVIDER_TOKEN = env_str("WHATSAPP_PROVIDER_TOKEN")
for _name, _url in (("SMS_PROVIDER_URL", SMS_PROVIDER_URL), ("WHATSAPP_PROVIDER_URL", WHATSAPP_PROVIDER_URL)):
    if _url and not _url.startswith(("http://", "https://")):
        raise ImproperlyConfigured(f"{_name}={_url!r} must start with http:// or https://.")
NOTIFICATION_PROVIDER_TIMEOUT_S = env_int("NOTIFICATION_PROVIDER_TIMEOUT_S", 10)
if NOTIFICATION_PROVIDER_TIMEOUT_S < 1:
    raise ImproperlyConfigured(f"NOTIFICATION_PROVIDER_TIMEOUT_S={NOTIFICATION_PROVIDER_TIMEOUT_S} must be at least 1.")
# A message whose provider is down is tried again after 1, 2, 4… times the backoff (each wait at most the max wait),
# then marked failed. The defaults keep trying for 75 minutes, so a provider down for an hour loses no message.
NOTIFICATION_MAX_RETRIES = env_int("NOTIFICATION_MAX_RETRIES", 8)
if NOTIFICATION_MAX_RETRIES < 0:
    raise ImproperlyConfigured(f"NOTIFICATION_MAX_RETRIES={NOTIFICATION_MAX_RETRIES} cannot be negative.")
NOTIFICATION_RETRY_BACKOFF_S = env_int("NOTIFICATION_RETRY_BACKOFF_S", 60)
if NOTIFICATION_RETRY_BACKOFF_S < 1:
    raise ImproperlyConfigured(f"NOTIFICATION_RETRY_BACKOFF_S={NOTIFICATION_RETRY_BACKOFF_S} must be at least 1.")
# Below Redis's visibility timeout (an hour), after which a broker would hand a waiting retry out a second time.
NOTIFICATION_RETRY_MAX_WAIT_S = env_int("NOTIFICATION_RETRY_MAX_WAIT_S", 900)
if not NOTIFICATION_RETRY_BACKOFF_S <= NOTIFICATION_RETRY_MAX_WAIT_S < 3600:
    raise ImproperlyConfigured(
        f"NOTIFICATION_RETRY_MAX_WAIT_S={NOTIFICATION_RETRY_MAX_WAIT_S} must be at least NOTIFICATION_RETRY_BACKOFF_S "
        f"({NOTIFICATION_RETRY_BACKOFF_S}) and under 3600."
    )
# Development and the demo keep every e-mail (drivers' rounds, purchase orders to suppliers) as files in
# var/mail instead of needing a mail server; production sends through SMTP.
EMAIL_BACKEND = env_str(
    "EMAIL_BACKEND",
    "django.core.mail.backends.filebased.EmailBackend" if DEBUG else "django.core.mail.backends.smtp.EmailBackend",
)
EMAIL_FILE_PATH = Path(env_str("EMAIL_FILE_PATH", str(VAR_DIR / "mail")))
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "webmaster@localhost")
# Where people report an accessibility problem; the accessibility statement (/accesibilidad/) publishes it.
ACCESSIBILITY_CONTACT_EMAIL = env_str("ACCESSIBILITY_CONTACT_EMAIL", DEFAULT_FROM_EMAIL)
EMAIL_HOST = env_str("EMAIL_HOST", "localhost")
EMAIL_PORT = env_int("EMAIL_PORT", 25)
EMAIL_HOST_USER = env_str("EMAIL_HOST_USER")
EMAIL_HOST_PASSWORD = env_str("EMAIL_HOST_PASSWORD")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", default=False)

# How many proxies of ours stand between the client and gunicorn, each adding to X-Forwarded-For: 1 for nginx on
# the same machine, 2 for a load balancer in front of nginx. 0 (no proxy) ignores the header, which anyone can write.
# Every limit (sign-in lockout, public form, webhook) counts by the address this finds (core.security).
TRUSTED_PROXY_COUNT = env_int("TRUSTED_PROXY_COUNT", 0)
if not 0 <= TRUSTED_PROXY_COUNT <= 5:
    raise ImproperlyConfigured(f"TRUSTED_PROXY_COUNT={TRUSTED_PROXY_COUNT} must be between 0 and 5.")
if env_str("WEBFORM_CLIENT_IP_HEADER"):
    # Silently ignoring the old setting would put every visitor behind the proxy's one address again.
    raise ImproperlyConfigured(
        "WEBFORM_CLIENT_IP_HEADER is replaced by TRUSTED_PROXY_COUNT: remove it and set TRUSTED_PROXY_COUNT=1 "
        "behind one proxy (nginx), 2 behind a load balancer and nginx."
    )
# The public web form: submissions a client address may send per hour.
WEBFORM_RATE_PER_HOUR = env_int("WEBFORM_RATE_PER_HOUR", 5)
if WEBFORM_RATE_PER_HOUR < 1:
    raise ImproperlyConfigured(f"WEBFORM_RATE_PER_HOUR={WEBFORM_RATE_PER_HOUR} must be at least 1.")
# The gateway webhook (POST /api/intake/messages/): calls a client address may make per minute, wrong tokens too.
WEBHOOK_RATE_PER_MINUTE = env_int("WEBHOOK_RATE_PER_MINUTE", 120)
if WEBHOOK_RATE_PER_MINUTE < 1:
    raise ImproperlyConfigured(f"WEBHOOK_RATE_PER_MINUTE={WEBHOOK_RATE_PER_MINUTE} must be at least 1.")
# The rate limits are counted in this cache: with several web processes, point them all at one Redis.
CACHE_URL = env_str("CACHE_URL")
if CACHE_URL and not CACHE_URL.startswith(("redis://", "rediss://", "unix://")):
    raise ImproperlyConfigured(f"CACHE_URL={CACHE_URL!r} must be a redis://, rediss:// or unix:// URL.")
CACHES = {
    "default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": CACHE_URL}
    if CACHE_URL
    else {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}
}

# Money: every price and amount is in this currency (ISO 4217), VAT included where a figure says so.
CURRENCY = env_str("CURRENCY", "EUR")
# A programme's budget raises an alert once spent plus committed reaches this share of it.
BUDGET_ALERT_PERCENT = env_int("BUDGET_ALERT_PERCENT", 90)
if not 1 <= BUDGET_ALERT_PERCENT <= 100:
    raise ImproperlyConfigured(f"BUDGET_ALERT_PERCENT={BUDGET_ALERT_PERCENT} must be between 1 and 100.")

# Routing defaults used when no road network service is configured.
ROUTING_ROAD_FACTOR = float(env_str("ROUTING_ROAD_FACTOR", "1.35"))
ROUTING_SPEED_KMH = float(env_str("ROUTING_SPEED_KMH", "25"))
ROUTING_TIME_LIMIT_S = env_int("ROUTING_TIME_LIMIT_S", 5)
ROUTING_WORKERS = env_int("ROUTING_WORKERS", 2)  # processes that solve parts of a large day side by side
# Stop a search after this many solutions instead of at the clock; 0 (the default) lets the clock decide. The tests
# set it (conftest.py), so the same day always gives the same plan, long before the time limit.
ROUTING_SOLUTION_LIMIT = env_int("ROUTING_SOLUTION_LIMIT", 0) or None
if ROUTING_SOLUTION_LIMIT is not None and ROUTING_SOLUTION_LIMIT < 0:
    raise ImproperlyConfigured(f"ROUTING_SOLUTION_LIMIT={ROUTING_SOLUTION_LIMIT} must be 0 (none) or more.")
ROUTING_SERVICE_TIME_S = env_int("ROUTING_SERVICE_TIME_S", 300)
# The region whose public holidays (besides Spain's) no delivery falls on: a subdivision code of the `holidays`
# package for ES ("MC" Murcia, "AR" Aragón, "CT" Catalonia, "AN" Andalusia…); empty for national holidays only.
HOLIDAY_REGION = env_str("HOLIDAY_REGION", "MC")
if HOLIDAY_REGION and HOLIDAY_REGION not in __import__("holidays").Spain.subdivisions:
    raise ImproperlyConfigured(f"HOLIDAY_REGION={HOLIDAY_REGION!r} is not a Spanish region code of `holidays`.")
# Off only in the test suite, whose dates are "tomorrow": a run on a Friday or before a holiday must not change
# what the tests plan. The calendar's own tests switch both back on.
PUBLIC_HOLIDAYS = env_bool("PUBLIC_HOLIDAYS", True)
# Weekdays vans go out (0 is Monday) where no zone or depot has delivery days of its own (logistics.DeliveryDay).
# A failed delivery is settled (new day, household told) this long after the driver records it, so a wrong tap can
# be taken back before anything is sent; 0 settles at once.
DELIVERY_FAILURE_UNDO_S = env_int("DELIVERY_FAILURE_UNDO_S", 300)
if not 0 <= DELIVERY_FAILURE_UNDO_S <= 3600:
    raise ImproperlyConfigured(f"DELIVERY_FAILURE_UNDO_S={DELIVERY_FAILURE_UNDO_S} must be between 0 and 3600 seconds.")
# A tap on Delivered or Not delivered stays on the driver's phone this long, with an Undo button, before it is queued:
# long enough to see a wrong stop was tapped, short enough not to hold back the sending. 0 queues taps at once.
DRIVER_TAP_UNDO_S = env_int("DRIVER_TAP_UNDO_S", 6)
if not 0 <= DRIVER_TAP_UNDO_S <= 60:
    raise ImproperlyConfigured(f"DRIVER_TAP_UNDO_S={DRIVER_TAP_UNDO_S} must be between 0 and 60 seconds.")
# While a round is under way its households are told a new window only when the window they were told moves by more
# than this many minutes (routing.eta): a van five minutes late is not worth a message, half an hour is.
WINDOW_CHANGE_TOLERANCE_MIN = env_int("WINDOW_CHANGE_TOLERANCE_MIN", 15)
if not 0 <= WINDOW_CHANGE_TOLERANCE_MIN <= 240:
    raise ImproperlyConfigured(
        f"WINDOW_CHANGE_TOLERANCE_MIN={WINDOW_CHANGE_TOLERANCE_MIN} must be between 0 and 240 minutes."
    )
# Van positions (delivery.positions) are kept this many days after their round's day, then deleted at night; 0: gone
# the night after the round.
VAN_POSITIONS_KEEP_DAYS = env_int("VAN_POSITIONS_KEEP_DAYS", 0)
if not 0 <= VAN_POSITIONS_KEEP_DAYS <= 30:
    raise ImproperlyConfigured(f"VAN_POSITIONS_KEEP_DAYS={VAN_POSITIONS_KEEP_DAYS} must be between 0 and 30 days.")
DELIVERY_WEEKDAYS = [int(day) for day in env_list("DELIVERY_WEEKDAYS", ["0", "1", "2", "3", "4"])]
if not DELIVERY_WEEKDAYS or any(not 0 <= day <= 6 for day in DELIVERY_WEEKDAYS):
    raise ImproperlyConfigured(f"DELIVERY_WEEKDAYS={DELIVERY_WEEKDAYS} must list weekdays from 0 (Monday) to 6.")

# Road travel times from an OSRM server, when one is configured; if it fails, planning uses the estimate above.
OSRM_URL = env_str("OSRM_URL")
if OSRM_URL and not OSRM_URL.startswith(("http://", "https://")):
    raise ImproperlyConfigured(f"OSRM_URL={OSRM_URL!r} must start with http:// or https://.")
OSRM_TIMEOUT_S = env_int("OSRM_TIMEOUT_S", 10)
if OSRM_TIMEOUT_S < 1:
    raise ImproperlyConfigured(f"OSRM_TIMEOUT_S={OSRM_TIMEOUT_S} must be at least 1 second.")
ROUTING_MATRIX_CACHE_S = env_int("ROUTING_MATRIX_CACHE_S", 24 * 3600)

# Geocoding: the local street table first; an online geocoder only when configured. Both geocoders offered need
# no key; GEOCODER_DOMAIN points them at a server of your own instead of the public one.
_gazetteer = env_str("GEOCODER_GAZETTEER", str(BASE_DIR / "fixtures" / "gazetteer_cartagena.csv"))
GEOCODER_GAZETTEER = Path(_gazetteer) if _gazetteer else None
GEOCODER = env_str("GEOCODER").lower()
if GEOCODER not in {"", "nominatim", "photon"}:
    raise ImproperlyConfigured(f"GEOCODER={GEOCODER!r} is not offered; leave it empty, or use nominatim or photon.")
GEOCODER_DOMAIN = env_str("GEOCODER_DOMAIN")
GEOCODER_USER_AGENT = env_str("GEOCODER_USER_AGENT", "reparto")
GEOCODER_TIMEOUT_S = env_int("GEOCODER_TIMEOUT_S", 10)
if GEOCODER_TIMEOUT_S < 1:
    raise ImproperlyConfigured(f"GEOCODER_TIMEOUT_S={GEOCODER_TIMEOUT_S} must be at least 1 second.")

# Celery: without a broker, tasks run in-process so a small town needs nothing else.
CELERY_BROKER_URL = env_str("CELERY_BROKER_URL") or "memory://localhost/"
CELERY_TASK_ALWAYS_EAGER = CELERY_BROKER_URL.startswith("memory://")
CELERY_TASK_EAGER_PROPAGATES = True
if CELERY_BROKER_URL.startswith(("redis://", "rediss://")):
    _default_result_backend = CELERY_BROKER_URL
elif not CELERY_TASK_ALWAYS_EAGER:
    _default_result_backend = "rpc://"
else:
    _default_result_backend = ""
CELERY_RESULT_BACKEND = env_str("CELERY_RESULT_BACKEND", _default_result_backend) or None
CELERY_TASK_DEFAULT_QUEUE = env_str("CELERY_TASK_DEFAULT_QUEUE", "celery")
CELERY_TASK_ACKS_LATE = True
# A worker process killed mid-task (out of memory, kill -9) hands its task back to the queue instead of losing it.
CELERY_TASK_REJECT_ON_WORKER_LOST = True
# With Redis down, storing a task's state would retry 20 times (19 s) before the page hears of it; give up fast:
# the page records the run as queued and beat sends it again (docs/operations.md).
CELERY_RESULT_BACKEND_TRANSPORT_OPTIONS = {
    "retry_policy": {"max_retries": 2, "interval_start": 0, "interval_step": 0.2, "interval_max": 0.5}
}
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TIMEZONE = TIME_ZONE
CELERY_BEAT_SCHEDULER = "django_celery_beat.schedulers:DatabaseScheduler"
# Local time (CELERY_TIMEZONE is TIME_ZONE): recurring aid becomes orders, then the supplier coordinator starts
# the day with fresh stock alerts that already count them.
CELERY_BEAT_SCHEDULE = {
    "logistics-orders-recurring": {
        "task": "logistics.tasks.orders_create_recurring_task",
        "schedule": crontab(minute=30, hour=5),
    },
    "inventory-alerts-refresh": {
        "task": "inventory.tasks.alerts_refresh_task",
        "schedule": crontab(minute=0, hour=6),
    },
    "inventory-budget-alerts-refresh": {
        "task": "inventory.tasks.budget_alerts_refresh_task",
        "schedule": crontab(minute=5, hour=6),
    },
    "intake-plans-review": {
        "task": "requests_intake.tasks.plans_review_remind_task",
        "schedule": crontab(minute=15, hour=6),
    },
    "intake-notifications-resume": {
        "task": "requests_intake.tasks.notifications_resume_task",
        "schedule": crontab(minute="*/5"),
    },
    "routing-runs-resume": {
        "task": "routing.tasks.planning_runs_resume_task",
        "schedule": crontab(),  # every minute
    },
    "logistics-surveys": {
        "task": "logistics.tasks.surveys_send_task",
        "schedule": crontab(minute=0, hour=19),
    },
    "delivery-positions-prune": {
        "task": "delivery.tasks.van_positions_prune_task",
        "schedule": crontab(minute=30, hour=23),
    },
}

REST_FRAMEWORK = {
    # Token first: a missing or revoked token is answered 401 with "WWW-Authenticate: Token", not a bare 403.
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "rest_framework.authentication.TokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    # A database that is down answers 503 with Retry-After in JSON, so gateways retry instead of giving up.
    # (/api/v1/ answers errors in one shape of its own, {"error": {"code", "message", "fields"}}: api/errors.py.)
    "EXCEPTION_HANDLER": "core.api.exception_handler",
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
}

# The OpenAPI schema (/api/schema/) and its readers, Swagger UI and ReDoc, served from our own static files.
SPECTACULAR_SETTINGS = {
    "TITLE": "Reparto API",
    "DESCRIPTION": 'Home delivery of social aid. Errors answer {"error": {"code", "message", "fields"}}.',
    "VERSION": "1",
    "SCHEMA_PATH_PREFIX": r"/api/v1",
    # The first paths (/api/inventory/, /api/intake/) answer as their /api/v1/ twins; only v1 is described.
    "PREPROCESSING_HOOKS": ["api.schema.only_v1"],
    "POSTPROCESSING_HOOKS": ["drf_spectacular.hooks.postprocess_schema_enums", "api.schema.error_responses"],
    "SERVE_INCLUDE_SCHEMA": False,
    "SERVE_PERMISSIONS": ["rest_framework.permissions.IsAuthenticated"],
    "SERVE_AUTHENTICATION": [
        "api.authentication.ApiTokenAuthentication",
        "rest_framework.authentication.TokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "COMPONENT_SPLIT_REQUEST": True,
    # One name per choice set that several fields share: a request's channel and a household's preferred channel
    # are the same contact channels, a request's rejection_code and the reject action's code the same reasons.
    "ENUM_NAME_OVERRIDES": {
        "ContactChannelEnum": "requests_intake.models.requests.Channel",
        "RejectionCodeEnum": "requests_intake.models.requests.RejectionCode",
    },
}

# LOG_FORMAT=json writes one JSON object per line, for a log collector; the default reads well in a terminal.
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {
        "plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"},
        "json": {
            "()": "pythonjsonlogger.json.JsonFormatter",
            "format": "%(asctime)s %(levelname)s %(name)s %(process)d %(message)s",
            "rename_fields": {"asctime": "time", "levelname": "level", "name": "logger"},
        },
    },
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": env_str("LOG_FORMAT", "plain")}},
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "WARNING")},
}

# Production hardening follows from DEBUG being off.
# COOKIES_SECURE=0 only for trying the production stack on http://127.0.0.1 (make serve-prod).
SESSION_COOKIE_SECURE = env_bool("COOKIES_SECURE", default=not DEBUG)
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", default=not DEBUG)
# Load balancers probe web machines over plain http; a redirect would read as "down".
SECURE_REDIRECT_EXEMPT = [r"^health/$"]
SECURE_HSTS_SECONDS = 0 if DEBUG else env_int("SECURE_HSTS_SECONDS", 31536000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = not DEBUG
SECURE_HSTS_PRELOAD = not DEBUG
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https") if env_bool("BEHIND_TLS_PROXY") else None
SESSION_COOKIE_HTTPONLY = True
X_FRAME_OPTIONS = "DENY"
