from django.contrib import admin

from .models import PrivacyPolicy, Profile


@admin.register(Profile)
class ProfileAdmin(admin.ModelAdmin):
    list_display = ["name", "user", "organisation", "country", "time_zone"]
    list_filter = ["country"]
    search_fields = ["name", "user__email", "organisation"]
    exclude = ["feed_token"]


@admin.register(PrivacyPolicy)
class PrivacyPolicyAdmin(admin.ModelAdmin):
    """Organisers publish a new version rather than edit one people already accepted."""

    list_display = ["version", "published_at", "consent_count"]
    ordering = ["-published_at"]

    @admin.display(description="Accepted by")
    def consent_count(self, policy: PrivacyPolicy) -> int:
        return policy.consents.count()

    def get_readonly_fields(self, request, obj=None):
        if obj is not None and obj.consents.exists():
            return ["version", "text", "published_at"]
        return []

    def has_delete_permission(self, request, obj=None) -> bool:
        return obj is None or not obj.consents.exists()
