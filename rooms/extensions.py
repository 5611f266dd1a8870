"""Places where the apps built on rooms add to the room pages without rooms importing them
(registered in their `AppConfig.ready`): chat adds the reaction set and the projector's
questions, streaming says whether a replay is available."""

from programme.extensions import Contributions

# fn(request, access, page) -> entries of the page's JavaScript config (page: room | moderate | speaker | projector)
page_config = Contributions("room page config")
# fn(request, access, page) -> template context of the page
page_context = Contributions("room page context")
# fn(session) -> facts about the session's live room shown on the session page (e.g. replay)
link_facts = Contributions("live room link")
