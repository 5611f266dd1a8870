from django.contrib import admin

from .models import Profile


@admin.register(Profile)
class ProfileAdmin(admin.ModelAdmin):
    list_display = ["name", "user", "organisation", "country", "time_zone"]
    list_filter = ["country"]
    search_fields = ["name", "user__email", "organisation"]
    exclude = ["feed_token"]
