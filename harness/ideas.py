"""What to try next: concrete ideas tied to the score component they would move.

The library is written for this project. Each idea names one scoring
component (the keys of ``harness.scoring``), says what to do in two or three
sentences, why it moves that component, the effort it takes and the kinds of
organisation it suits.

Choosing ideas (:func:`ideas_for`):

* Components are taken weakest first: lowest score, ties broken by the
  order of :data:`COMPONENT_KEYS` (pillar order, then component order).
  Components with no score (``None``: no data for them) come after every
  scored one, in the same key order; a component already at 100 needs
  nothing and is skipped. Unknown keys are ignored.
* Within a component, ideas go lowest effort first, then by id, and at most
  ``per_component`` ideas (default 2) are taken from it before moving to
  the next weakest, until ``limit`` ideas are chosen.
* Only ideas that suit ``org_type`` (school, nonprofit, other) are offered;
  ``None`` offers all.
"""

from __future__ import annotations

from dataclasses import dataclass

from harness import targets

# The pillars, their components and the kinds of organisation are targets' (one list of each).
PILLAR_COMPONENTS = {p: tuple(c.key for c in targets.pillar_components(p)) for p in targets.PILLARS}
COMPONENT_KEYS = tuple(k for keys in PILLAR_COMPONENTS.values() for k in keys)
ORG_TYPES = tuple(targets.ORG_TYPES)
EFFORTS = ("low", "medium", "high")
ALL = ORG_TYPES


@dataclass(frozen=True)
class Idea:
    id: str
    component: str
    title: str
    detail: str
    why: str
    effort: str
    org_types: tuple[str, ...]

    @property
    def pillar(self) -> str:
        return next(p for p, keys in PILLAR_COMPONENTS.items() if self.component in keys)


def _idea(id, component, title, detail, why, effort, org_types=ALL) -> Idea:
    return Idea(id, component, title, detail, why, effort, tuple(org_types))


NP = ("nonprofit", "other")
SCH = ("school",)

LIBRARY: tuple[Idea, ...] = (
    # ---- Involvement ------------------------------------------------------
    _idea("inv-call-not-like", "people_per_1k_followers", "Ask for a call or a visit, not a like",
          "End your next few posts with one clear real-world ask: ring the office, book a tour, drop in on "
          "Thursday morning. Put the phone number or booking link in the first line, not in the comments.",
          "Followers who pick up the phone or walk in become people you can name, which is what this "
          "measure counts.", "low"),
    _idea("inv-open-morning", "people_per_1k_followers", "Run a small open morning for followers",
          "Invite followers to a one-hour open morning with a simple sign-in sheet at the door. Keep it "
          "informal: coffee, a short walk round and a chance to ask questions.",
          "Everyone who signs in is a named, involved person you can log, raising people per 1,000 "
          "followers.", "medium"),
    _idea("inv-taster-volunteer", "people_per_1k_followers", "Offer a one-off taster volunteering slot",
          "Post a single two-hour volunteering slot with a date, a place and a named contact. Small, "
          "specific asks get far more yeses than a general call for help.",
          "A first small yes turns a follower into a volunteer you know by name.", "low", NP),
    _idea("inv-tracked-link", "social_actions_per_1k_followers", "Give every social post its own sign-up link",
          "Use a short form or booking link per post and ask on the form where people heard about you. "
          "Log the answer in the involvement log's Source column.",
          "Actions you can trace back to social media are what this measure counts; untracked ones look "
          "like word of mouth.", "low"),
    _idea("inv-ask-where-heard", "social_actions_per_1k_followers", "Ask callers where they heard about you",
          "Put a one-line prompt by the office phone and on the front desk: 'How did you hear about us?' "
          "Record 'facebook', 'instagram' and so on in the log.",
          "Many social-driven calls and visits are logged with an unknown source; asking recovers them.",
          "low"),
    _idea("inv-event-post-cta", "social_actions_per_1k_followers", "Turn event posts into bookings",
          "When you post about an upcoming event, link straight to a booking page and post a reminder two "
          "days before. Thank people who booked in a follow-up post.",
          "Bookings made from a post are social-sourced actions, the core of this measure.", "medium"),
    _idea("inv-second-step", "repeat_share", "Offer a clear second step after the first contact",
          "Whenever someone enquires or visits, tell them the next thing they can do: a taster session, a "
          "class assembly, a volunteer morning. Follow up within a week.",
          "People with two or more actions are what depth measures; a ready next step makes the second "
          "action likely.", "low"),
    _idea("inv-thank-and-invite", "repeat_share", "Thank first-time helpers and invite them back",
          "Send a personal thank-you to every first-time volunteer or donor within two days, with one "
          "specific invitation to come again. Name the date and what they would do.",
          "A prompt thank-you with a concrete invitation is the cheapest way to get a repeat action.",
          "low"),
    _idea("inv-parent-rota", "repeat_share", "Set up a parent help rota",
          "Ask parents who helped once to join a simple termly rota for reading, trips or events. Share the "
          "rota dates early so people can plan.", "A rota turns one-off helpers into people who come back "
          "again and again.", "medium", SCH),
    _idea("inv-fewer-better-posts", "actions_per_1k_reactions", "Post less, ask for more",
          "Swap some general update posts for fewer posts that each carry one real ask. Judge posts by the "
          "calls, visits and sign-ups they bring, not the likes.",
          "This measure is real actions per 1,000 reactions: posts with an ask raise the actions on top.",
          "low"),
    _idea("inv-reply-with-ask", "actions_per_1k_reactions", "Answer comments with an invitation",
          "When someone comments warmly, reply with a personal invitation: come to the next open day, "
          "join the Saturday clean-up. Keep it friendly and specific.",
          "It turns applause into action, raising actions relative to reactions.", "low"),
    _idea("inv-rank-posts", "actions_per_1k_reactions", "Repeat the posts that brought calls",
          "Look at the posts ranked by real actions on the Vanity vs real page and make more posts like "
          "the top five. Retire formats that only gather likes.",
          "Doing more of what already brings actions lifts actions per 1,000 reactions.", "low"),

    # ---- Co-creation ------------------------------------------------------
    _idea("co-parent-photos", "community_content_share", "Invite parents to send photos",
          "Ask parents to send photos from sports days, trips and performances to one email address, with "
          "a short consent note. Share the best each week with credit.",
          "Content made by your community raises the community share of everything you publish.", "low",
          SCH),
    _idea("co-supporter-stories", "community_content_share", "Ask supporters for their story",
          "Ask volunteers and people you have helped for a three-sentence story and a photo. Offer a "
          "simple form with three questions so it takes five minutes.",
          "Each story you publish is community-created content, raising its share.", "low", NP),
    _idea("co-takeover", "community_content_share", "Hand over the account for a day",
          "Let a student group, volunteer or partner run your stories for one day with clear guidelines. "
          "Review the plan together beforehand.",
          "A takeover produces a burst of content made by your community rather than by staff.",
          "medium"),
    _idea("co-monthly-theme", "contributors_per_1k_followers", "Set a monthly theme for contributions",
          "Announce a simple monthly theme (favourite corner, a day in the life, why I help) and invite "
          "followers to send a photo or a line. Feature a few each week.",
          "A clear, easy theme brings in new contributors, which this measure counts per 1,000 followers.",
          "low"),
    _idea("co-review-ask", "contributors_per_1k_followers", "Ask happy people for a review",
          "After a good moment (a successful event, a thank-you email) ask the person to leave a short "
          "review or testimonial and send them the direct link. Asking within a day, while the moment is "
          "fresh, works best.",
          "Reviews and testimonials are contributions from new people, at almost no cost.", "low"),
    _idea("co-student-reporters", "contributors_per_1k_followers", "Recruit student reporters",
          "Set up a small team of student reporters who write or film one short piece a fortnight, "
          "checked by a member of staff. Rotate the team each term so more students take part.",
          "Each reporter is a named contributor; a team adds several at "
          "once.", "medium", SCH),
    _idea("co-credit-contributors", "repeat_contributor_share", "Credit and thank every contributor",
          "Always name the person who sent a photo or story (with their permission) and send them the "
          "link when it goes up. Recognition is what makes people send a second one.",
          "Contributors who feel seen come back, raising the share who contribute more than once.", "low"),
    _idea("co-contributor-group", "repeat_contributor_share", "Start a small contributor circle",
          "Invite people who have sent content before to a group chat or mailing list where you share "
          "upcoming events worth capturing. Keep it small and friendly, and say thank you there too.",
          "Giving past contributors advance notice makes repeat contributions easy.", "medium"),
    _idea("co-contributor-brief", "repeat_contributor_share", "Send regular contributors a simple brief",
          "Once a term, send past contributors a short list of moments you would love content from, with "
          "dates and tips for good photos. Say which ones you used last time.",
          "A concrete list of moments turns one-off senders into "
          "regulars.", "low"),
    _idea("co-feature-best", "community_engagement_ratio", "Give community content prime slots",
          "Post community photos and stories at your busiest times and pin the best one. Add a line of "
          "context saying who made it and why it matters.",
          "Good placement lets community content perform at least as well as your own posts.", "low"),
    _idea("co-people-first", "community_engagement_ratio", "Choose stories with people in them",
          "When choosing which community content to share, favour real people and real moments over "
          "scenery or logos, and ask the contributor to share it too. "
          "A face and a name beat a wide shot of a building.",
          "Personal content from the community tends to draw more response, raising its engagement "
          "relative to organisation posts.", "low"),
    _idea("co-share-back", "community_engagement_ratio", "Ask contributors to share the post",
          "When you publish someone's photo or story, tag them (with consent) and ask them to share it "
          "with their own friends. Send them the link the moment it goes up.",
          "Their friends see it too, so community posts reach and engage more "
          "people.", "low"),

    # ---- Connections of connections ---------------------------------------
    _idea("con-bring-a-friend", "referred_per_1k_followers", "Run a 'bring a friend' week",
          "Pick one event or session and ask everyone to bring one friend who has never been. Keep a "
          "sign-in sheet with a 'who invited you?' column.",
          "Each friend brought is a referred person you can record, which this measure counts.", "medium"),
    _idea("con-forwardable", "referred_per_1k_followers", "Make one post easy to forward",
          "Write a post made to be passed on: 'Know a family looking for a school? Send them this.' "
          "Include the date of the next visit and a direct link.",
          "Asking people to forward to someone specific brings in new referred people.", "low"),
    _idea("con-log-referrals", "referred_per_1k_followers", "Record who referred each new person",
          "Add 'Who told you about us?' to every enquiry form and sign-in sheet, and copy the answer into "
          "the Referred by column.",
          "Referrals you already get only count once they are written down.", "low"),
    _idea("con-ambassadors", "k_factor", "Recruit a few ambassadors",
          "Ask five of your most involved people to become ambassadors, each aiming to bring two new "
          "people this term. Give them a card or link to hand on and thank them publicly.",
          "K-factor is converted referrals per involved person; a few keen referrers raise it quickly.",
          "medium"),
    _idea("con-welcome-referred", "k_factor", "Give referred people a warm welcome",
          "When someone arrives through a friend, invite them to something specific with the friend who "
          "referred them, such as a tour or an event. Arriving with someone they know makes the "
          "first step easier.",
          "Referred people who are welcomed personally are more likely to get involved, which is what "
          "K-factor counts.", "low"),
    _idea("con-second-wave", "depth2_share", "Ask newcomers to bring someone too",
          "A month after someone joins through a friend, ask them to bring one person of their own. Make "
          "it easy with a ready-made invitation they can forward.",
          "Depth 2+ counts people reached through a friend of a friend; asking newcomers extends the "
          "chain.", "low"),
    _idea("con-family-network", "depth2_share", "Invite families to pass on the invitation",
          "For open days or fairs, give each family two invitations: one for a friend, and one the friend "
          "can pass on. Ask on the sign-in sheet who gave them their invitation.",
          "Invitations that travel two steps reach people at depth two and beyond.",
          "low", SCH),
    _idea("con-chain-events", "depth2_share", "Plan events that grow by invitation",
          "Run a series where each session's attendees are asked to invite one new person to the next, "
          "such as a supper club or walking group. Keep a note of who invited whom.",
          "Every new round adds people further from your own contacts.", "medium", NP),
    _idea("con-follow-up-48h", "referral_conversion", "Follow up referrals within two days",
          "When someone is referred, contact them personally within 48 hours with a specific invitation "
          "and a named contact. Mention the friend who recommended you.",
          "Fast, personal follow-up is what turns a recommendation into an "
          "involved person.", "low"),
    _idea("con-referral-pack", "referral_conversion", "Give referrers something to hand on",
          "Make a short welcome sheet or link with the next open day, how to get involved and who to "
          "call. Referrers pass it on instead of a vague 'you should look them up'.",
          "Referred people with a clear next step convert more often.", "low"),
    _idea("con-track-outcome", "referral_conversion", "Record whether referrals got involved",
          "Each month, check the referrals log and mark who went on to visit, enrol or volunteer in the "
          "Converted column. It takes ten minutes with the involvement log open beside it.",
          "Conversions you do not record cannot count.", "low"),
    _idea("con-ask-everyone", "referrer_share", "Ask every involved person for one name",
          "At the end of each visit, event or volunteering session, ask: 'Who else would enjoy this?' "
          "Note the name with their permission.", "Asking everyone, not just the keen few, raises the "
          "share of involved people who refer someone.", "low"),
    _idea("con-thank-referrers", "referrer_share", "Thank referrers in public",
          "With permission, thank people who brought a friend in a monthly post or newsletter. Recognition "
          "shows others that recommending you is valued.", "Seeing others thanked encourages more people "
          "to refer.", "low"),
    _idea("con-alumni", "referrer_share", "Ask past pupils and parents to recommend you",
          "Contact former families and alumni with a short note asking them to recommend you to one family "
          "they know, with a link to the next open day. "
          "Keep the note short and personal.",
          "Past families are trusted voices; each who refers counts as an involved referrer.", "medium",
          SCH),

    # ---- Wider community --------------------------------------------------
    _idea("com-local-event", "activities_per_month", "Partner with a local event",
          "Take part in an existing local event, such as a fair, a market or a clean-up day, with a small, "
          "useful stall or helping hands rather than a sales table. Log it in the community log "
          "with the partner's name.",
          "Joining events that already happen adds activities without organising them yourself.", "medium"),
    _idea("com-monthly-slot", "activities_per_month", "Put one community slot in every month",
          "Block one date a month in the calendar for community activity: a visit to a care home, a litter "
          "pick, a shared assembly. Log it in the community log afterwards.",
          "A fixed monthly slot keeps activities per month steady instead of bunched.", "low"),
    _idea("com-open-space", "activities_per_month", "Open your building to local groups",
          "Offer your hall, garden or meeting room free to local groups one evening a week. "
          "Choose groups whose members would not usually come through your doors.",
          "Each hosted group counts as a community activity and builds goodwill.", "medium"),
    _idea("com-count-attendees", "reach_per_1k_followers", "Count who comes to community activities",
          "Use a tally counter or sign-in sheet at every community activity and record the number in the "
          "Attendees column. A rough count is far better than none.",
          "Reach you do not count cannot show; a simple tally makes it visible.",
          "low"),
    _idea("com-bigger-partner", "reach_per_1k_followers", "Join a larger partner's event",
          "Offer a stall, performance or helpers at a bigger community event run by a partner, such as a "
          "library festival or a charity fun run. Bring something to do, not just leaflets.",
          "A larger event reaches many more local people per activity.", "medium"),
    _idea("com-performances", "reach_per_1k_followers", "Take performances into the community",
          "Send the choir, band or drama group to a care home, a shopping centre or a local festival. "
          "Ask the venue how many people came and log it.",
          "Performances out in the community reach people who would never visit you.", "medium", SCH),
    _idea("com-new-partner", "distinct_partners", "Approach one new partner each term",
          "List local organisations you have never worked with (library, sports club, food bank, care "
          "home) and invite one each term to a small joint activity. "
          "Start with something small, such as a shared display or a joint litter pick.",
          "This measure counts different partners; one new partner a term steadily widens it.", "low"),
    _idea("com-shared-project", "distinct_partners", "Run a joint project with neighbours",
          "Plan one project with two or three nearby organisations, such as a community garden or a "
          "holiday food programme, so each brings its own people. "
          "Agree who does what at the first meeting.",
          "A shared project adds several partners at once.", "high"),
    _idea("com-service-day", "non_sales_share", "Hold a service day with no sales ask",
          "Organise a day of pure service, like a park clean-up or helping at a food bank, and leave "
          "prospectuses and donation buckets at home. Invite families or supporters to join in.",
          "Activities with no sales aim raise the non-sales share and show you as a good neighbour.",
          "medium"),
    _idea("com-mark-sales", "non_sales_share", "Mark which activities were about sales",
          "When logging community activities, fill in 'Sales related' honestly for each one. Open days "
          "are sales; helping at the food bank is not.",
          "An accurate split shows the good-citizen work you already do.", "low"),
    _idea("com-share-skills", "non_sales_share", "Lend your skills to the community",
          "Offer staff or volunteer time for something local that needs it: reading with children at the "
          "library, IT help for older people, a free first-aid session. "
          "Ask the people it serves what would help most.",
          "Giving skills with no return in mind adds non-sales activity.", "medium"),
)


def normalise_org_type(org_type: str | None) -> str | None:
    """'non-profit', 'Nonprofit', 'non_profit' -> 'nonprofit'; None stays None."""
    if org_type is None:
        return None
    key = str(org_type).strip().lower().replace("-", "").replace("_", "").replace(" ", "")
    if key not in ORG_TYPES:
        raise ValueError(f"unknown organisation type '{org_type}'; choose school, nonprofit or other")
    return key


def weakest_first(components) -> list[str]:
    """Component keys to work on, weakest first (see the module docstring)."""
    order = {k: i for i, k in enumerate(COMPONENT_KEYS)}
    scored = [(k, s) for k, s in components if k in order]
    todo = [(k, s) for k, s in scored if s is None or s < 100]
    todo.sort(key=lambda ks: (ks[1] is None, ks[1] if ks[1] is not None else 0, order[ks[0]]))
    seen: list[str] = []
    for k, _ in todo:
        if k not in seen:
            seen.append(k)
    return seen


def ideas_for_component(component: str, org_type: str | None = None) -> list[Idea]:
    """Ideas for one component that suit ``org_type``, lowest effort first."""
    kind = normalise_org_type(org_type)
    found = [i for i in LIBRARY if i.component == component and (kind is None or kind in i.org_types)]
    return sorted(found, key=lambda i: (EFFORTS.index(i.effort), i.id))


def ideas_for(components, org_type: str | None = None, limit: int = 3, per_component: int = 2) -> list[Idea]:
    """Ideas for the weakest components first.

    ``components`` is an iterable of (component_key, score 0-100 or None).
    """
    chosen: list[Idea] = []
    for key in weakest_first(components):
        chosen.extend(ideas_for_component(key, org_type)[:per_component])
        if len(chosen) >= limit:
            break
    return chosen[:limit]
