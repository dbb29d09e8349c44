from django.http import HttpResponse
from django.urls import path


def page(request):
    return HttpResponse("示例能力的页面")


urlpatterns = [path("", page, name="sample-page")]
