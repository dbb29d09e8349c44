"""Administrators edit the funds reference data here; ledgers and workflow stay out."""

from django.contrib import admin

from zeren.funds.models import CampaignKind, DeductionRule, EntitlementRule, PaymentPlan, Rate


@admin.register(Rate)
class RateAdmin(admin.ModelAdmin):
    list_display = [
        "kind",
        "residence",
        "level",
        "amount",
        "unit",
        "valid_from",
        "valid_to",
        "unconfirmed",
    ]
    list_filter = ["kind", "level", "unconfirmed"]
    search_fields = ["source"]


@admin.register(EntitlementRule)
class EntitlementRuleAdmin(admin.ModelAdmin):
    list_display = ["reason", "mode", "valid_from", "unconfirmed", "source"]


@admin.register(PaymentPlan)
class PaymentPlanAdmin(admin.ModelAdmin):
    list_display = ["program", "frequency", "valid_from", "source"]


@admin.register(CampaignKind)
class CampaignKindAdmin(admin.ModelAdmin):
    list_display = [
        "code",
        "name",
        "performer",
        "start_month",
        "end_month",
        "days_allowed",
        "coverage",
    ]


@admin.register(DeductionRule)
class DeductionRuleAdmin(admin.ModelAdmin):
    list_display = ["outcome", "points", "unconfirmed", "source"]
