"""The household record (ficha): who lives there, how to reach them, what the driver and the packs must respect."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from core.text import fold
from requests_intake.models.zones import Zone


class DocumentType(models.TextChoices):
    DNI = "dni", _("DNI")
    NIE = "nie", _("NIE")
    RUT = "rut", _("RUT (Chile)")
    PASSPORT = "passport", _("Passport")
    NONE = "none", _("No document")


class Sex(models.TextChoices):
    """As the person states it; left blank when not asked or not given. The council's report counts people by it."""

    FEMALE = "female", _("Female")
    MALE = "male", _("Male")
    OTHER = "other", _("Other")


class NationalityGroup(models.TextChoices):
    """The nationality as the council's report groups it (the groups of Spain's statistics office); a person with
    two nationalities, one of them Spanish, is Spanish."""

    SPANISH = "spanish", _("Spanish")
    EUROPEAN_UNION = "eu", _("Another European Union country")
    REST_OF_EUROPE = "europe", _("Rest of Europe")
    AFRICA = "africa", _("Africa")
    LATIN_AMERICA = "latin_america", _("Central and South America")
    ASIA = "asia", _("Asia")
    OTHER = "other", _("Other (North America, Oceania)")
    STATELESS = "stateless", _("Stateless")


class ConsentScope(models.TextChoices):
    SERVICE = "service", _("To provide the aid")
    SERVICE_AND_REFERRALS = "referrals", _("To provide the aid and share with referring agencies")


class Vulnerability(models.TextChoices):
    LIVES_ALONE = "lives_alone", _("Lives alone")
    ELDERLY = "elderly", _("Elderly person")
    DISABILITY = "disability", _("Disability")
    MINORS = "minors", _("Minors in the household")
    NO_INCOME = "no_income", _("No income")
    HOMELESS = "homeless", _("Homeless or at risk")
    GENDER_VIOLENCE = "gender_violence", _("Gender violence")


class Diet(models.TextChoices):
    NO_PORK = "no_pork", _("No pork")
    HALAL = "halal", _("Halal")
    GLUTEN_FREE = "gluten_free", _("Gluten-free")
    DIABETIC = "diabetic", _("Diabetic")
    BABY_FOOD = "baby_food", _("Baby food")


class Weekday(models.IntegerChoices):
    MONDAY = 0, _("Monday")
    TUESDAY = 1, _("Tuesday")
    WEDNESDAY = 2, _("Wednesday")
    THURSDAY = 3, _("Thursday")
    FRIDAY = 4, _("Friday")
    SATURDAY = 5, _("Saturday")
    SUNDAY = 6, _("Sunday")


class ContactChannel(models.TextChoices):
    PHONE = "phone", _("Phone call")
    SMS = "sms", _("SMS")
    WHATSAPP = "whatsapp", _("WhatsApp")
    EMAIL = "email", _("E-mail")
    IN_PERSON = "in_person", _("In person")


class Household(models.Model):
    given_name = models.CharField(_("given name"), max_length=100)
    family_name = models.CharField(_("family name"), max_length=150)
    birth_date = models.DateField(_("birth date"), null=True, blank=True)
    # Blank in the database too: rows written without these columns (older code during an upgrade, a migration
    # test going back) still save, as "not recorded".
    sex = models.CharField(_("sex"), max_length=10, choices=Sex.choices, blank=True, default="", db_default="")
    nationality = models.CharField(
        _("nationality"), max_length=15, choices=NationalityGroup.choices, blank=True, default="", db_default=""
    )
    document_type = models.CharField(_("document type"), max_length=10, choices=DocumentType.choices)
    document_number = models.CharField(_("document number"), max_length=20, blank=True)
    phone = models.CharField(_("phone"), max_length=20, blank=True, help_text=_("Stored in E.164 form."))
    email = models.EmailField(_("e-mail"), blank=True)
    # Blank only while a request that came in by message waits for intake to complete the record.
    address = models.CharField(_("address"), max_length=200, blank=True)
    postcode = models.CharField(_("postcode"), max_length=10, blank=True)
    municipality = models.CharField(_("municipality"), max_length=100, blank=True)
    latitude = models.DecimalField(_("latitude"), max_digits=9, decimal_places=6, null=True, blank=True)
    longitude = models.DecimalField(_("longitude"), max_digits=9, decimal_places=6, null=True, blank=True)
    members = models.PositiveSmallIntegerField(
        _("members"), default=1, help_text=_("People living in the household, the holder included.")
    )
    zone = models.ForeignKey(Zone, on_delete=models.PROTECT, null=True, blank=True, verbose_name=_("zone"))
    access_notes = models.CharField(_("access notes for the driver"), max_length=200, blank=True)
    language = models.CharField(
        _("preferred language"), max_length=5, choices=settings.REQUESTER_LANGUAGES, default=settings.LANGUAGE_CODE
    )
    consent_on = models.DateField(_("consent to data processing given on"), null=True, blank=True)
    consent_scope = models.CharField(_("consent scope"), max_length=10, choices=ConsentScope.choices, blank=True)
    vulnerabilities = models.JSONField(_("vulnerability"), default=list, blank=True)
    reduced_mobility = models.BooleanField(_("reduced mobility"), default=False)
    # Planning sends such a household only a van with a two-person crew (routing.adapter).
    needs_two_people = models.BooleanField(
        _("delivery needs two people"),
        default=False,
        help_text=_("Heavy load, no lift, stairs: the van comes with a crew of two."),
    )
    diets = models.JSONField(_("dietary needs"), default=list, blank=True)
    preferred_days = models.JSONField(_("preferred delivery days"), default=list, blank=True)
    preferred_from = models.TimeField(_("deliver from"), null=True, blank=True)
    preferred_until = models.TimeField(_("deliver until"), null=True, blank=True)
    same_driver = models.BooleanField(
        _("keep the same driver"),
        default=False,
        help_text=_("Plan this household with the driver who last delivered to it, when that keeps everyone served."),
    )
    # How to talk to the household (Sevilla's seed: an interpreter on demand; easy-read texts; when and by which
    # channel to write or call). Shown to intake and social workers on the record.
    sign_language_interpreter = models.BooleanField(_("needs a sign-language interpreter"), default=False)
    easy_read = models.BooleanField(_("needs easy-read texts"), default=False)
    contact_channel = models.CharField(
        _("preferred contact channel"), max_length=20, choices=ContactChannel.choices, blank=True
    )
    contact_from = models.TimeField(_("contact from"), null=True, blank=True)
    contact_until = models.TimeField(_("contact until"), null=True, blank=True)
    # The professional of reference (profesional de referencia): the social worker who follows this household's
    # case. Every change is a CaseAssignment row, so who held the case when stays on record.
    reference_worker = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="cases",
        verbose_name=_("professional of reference"),
    )
    # A duplicate merged into another record keeps its row (and history) and points at the one that stays.
    merged_into = models.ForeignKey(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="merged", verbose_name=_("merged into")
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    search_text = models.TextField(editable=False, default="")
    history = HistoricalRecords(excluded_fields=["search_text"])

    class Meta:
        verbose_name = _("household")
        verbose_name_plural = _("households")
        ordering = ["family_name", "given_name"]
        permissions = [
            ("merge_household", _("Can merge duplicate households")),
            ("view_audit", _("Can see the change history of households and requests")),
            ("export_household", _("Can export households' personal data")),
            ("view_vulnerability", _("Can see vulnerability details and assessments")),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(contact_from__isnull=True)
                | models.Q(contact_until__isnull=True)
                | models.Q(contact_until__gt=models.F("contact_from")),
                name="household_contact_hours_not_empty",
                violation_error_code="contact_hours_empty",
                violation_error_message=_("The contact hours end before they start: check the two times."),
            ),
            models.UniqueConstraint(
                fields=["document_type", "document_number"],
                condition=~models.Q(document_number="") & models.Q(merged_into__isnull=True),
                name="household_unique_document",
            ),
            models.CheckConstraint(condition=models.Q(members__gte=1), name="household_members_at_least_one"),
        ]
        indexes = [models.Index(fields=["phone"], name="household_phone_idx")]

    def __str__(self) -> str:
        return self.full_name

    def search_text_compute(self) -> str:
        """What search matches against; bulk inserts, which skip save(), fill `search_text` with it too."""
        parts = [self.given_name, self.family_name, self.document_number, self.phone, self.address, self.postcode]
        return fold(" ".join(parts))

    def save(self, *args, **kwargs):
        self.search_text = self.search_text_compute()
        if kwargs.get("update_fields") is not None:
            kwargs["update_fields"] = {*kwargs["update_fields"], "search_text"}
        super().save(*args, **kwargs)

    @property
    def full_name(self) -> str:
        return f"{self.given_name} {self.family_name}".strip()

    @property
    def has_location(self) -> bool:
        return self.latitude is not None and self.longitude is not None

    @property
    def diet_labels(self) -> list[str]:
        return [str(Diet(code).label) for code in self.diets if code in Diet.values]

    @property
    def vulnerability_labels(self) -> list[str]:
        return [str(Vulnerability(code).label) for code in self.vulnerabilities if code in Vulnerability.values]


class HouseholdMember(models.Model):
    """Someone else living in the household (the holder is the household record itself)."""

    class Relationship(models.TextChoices):
        PARTNER = "partner", _("Partner")
        CHILD = "child", _("Son or daughter")
        PARENT = "parent", _("Father or mother")
        SIBLING = "sibling", _("Brother or sister")
        GRANDCHILD = "grandchild", _("Grandchild")
        OTHER_RELATIVE = "relative", _("Other relative")
        OTHER = "other", _("Not related")

    household = models.ForeignKey(
        Household, on_delete=models.CASCADE, related_name="people", verbose_name=_("household")
    )
    given_name = models.CharField(_("given name"), max_length=100)
    family_name = models.CharField(_("family name"), max_length=150, blank=True)
    birth_date = models.DateField(_("birth date"), null=True, blank=True)
    sex = models.CharField(_("sex"), max_length=10, choices=Sex.choices, blank=True, default="", db_default="")
    nationality = models.CharField(
        _("nationality"), max_length=15, choices=NationalityGroup.choices, blank=True, default="", db_default=""
    )
    relationship = models.CharField(_("relationship"), max_length=10, choices=Relationship.choices)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("household member")
        verbose_name_plural = _("household members")
        ordering = ["birth_date", "pk"]

    def __str__(self) -> str:
        return f"{self.given_name} {self.family_name}".strip()

    def age_on(self, day) -> int | None:
        if self.birth_date is None:
            return None
        before_birthday = (day.month, day.day) < (self.birth_date.month, self.birth_date.day)
        return day.year - self.birth_date.year - before_birthday
