def viewer_time_zone(request):
    return {"viewer_time_zone": getattr(request, "viewer_time_zone", "UTC")}
