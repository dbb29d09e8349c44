PERMISSION = "org.view_division"
TEMPLATE = "sample/card.html"


def context(user, today):
    return {"today": today.isoformat()}
