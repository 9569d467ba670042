"""Demo data through pretalx's own models: an organiser (admin) and a reviewer with API tokens,
one event with its CfP, submission types, tracks, tags, rooms, speakers and submissions.
Idempotent: run it again and nothing is duplicated. Run: manage.py shell -c "import seed; seed.run()"
"""
import datetime as dt

EVENT = "democon"
ORGANISER = "demo-org"
USERS = {"admin": "orga@example.org", "user": "reviewer@example.org"}
# pretalx API tokens (person.UserApiToken; header "Authorization: Token <key>"), 64 characters
TOKENS = {"admin": "ad" + "0" * 60 + "ad", "user": "5e" + "0" * 60 + "5e"}


def run():
    from django.utils.timezone import now
    from django_scopes import scopes_disabled

    from pretalx.event.models import Event, Organiser, Team
    from pretalx.person.models import SpeakerProfile, User, UserApiToken
    from pretalx.person.models.auth_token import ENDPOINTS, READ_PERMISSIONS, WRITE_PERMISSIONS
    from pretalx.schedule.models import Room
    from pretalx.submission.models import Submission, SubmissionType, Tag, Track

    with scopes_disabled():
        admin = User.objects.filter(email=USERS["admin"]).first()
        if admin is None:
            admin = User.objects.create_superuser(password="orga-password", email=USERS["admin"], name="Olga Organiser")
        reviewer = User.objects.filter(email=USERS["user"]).first()
        if reviewer is None:
            reviewer = User.objects.create_user(password="reviewer-password", email=USERS["user"], name="Rita Reviewer")

        organiser, _ = Organiser.objects.get_or_create(slug=ORGANISER, defaults={"name": "Demo Organiser"})
        today = now().date()
        event = Event.objects.filter(slug=EVENT).first()
        if event is None:
            event = Event.objects.create(
                organiser=organiser, slug=EVENT, name="DemoCon 2027", is_public=True,
                date_from=today + dt.timedelta(days=60), date_to=today + dt.timedelta(days=62),
                timezone="UTC", email="orga@example.org",
            )  # build_initial_data(): CfP, default submission type, WIP schedule, mail templates, review phases
        event.cfp.deadline = now() - dt.timedelta(days=1)  # CfP closed: the review phase is active
        event.cfp.save()
        phase = event.review_phases.order_by("position").first()
        phase.is_active, phase.can_see_speaker_names = True, True
        phase.save()
        event.review_phases.exclude(pk=phase.pk).update(is_active=False)

        orga_team, _ = Team.objects.get_or_create(organiser=organiser, name="Organisers", defaults=dict(
            all_events=True, can_create_events=True, can_change_teams=True, can_change_organiser_settings=True,
            can_change_event_settings=True, can_change_submissions=True))
        orga_team.members.add(admin)
        review_team, _ = Team.objects.get_or_create(organiser=organiser, name="Reviewers", defaults=dict(
            all_events=True, is_reviewer=True))
        review_team.members.add(reviewer)

        for who, user, perms in (("admin", admin, WRITE_PERMISSIONS), ("user", reviewer, READ_PERMISSIONS)):
            endpoints = {endpoint: list(perms) for endpoint in ENDPOINTS}
            if who == "user":
                endpoints["reviews"] = list(WRITE_PERMISSIONS)
            token, _ = UserApiToken.objects.update_or_create(
                token=TOKENS[who], defaults={"user": user, "name": f"corpus {who}", "endpoints": endpoints})
            token.events.add(event)

        talk, _ = SubmissionType.objects.get_or_create(event=event, name="Talk", defaults={"default_duration": 30})
        workshop, _ = SubmissionType.objects.get_or_create(event=event, name="Workshop", defaults={"default_duration": 90})
        tracks = [Track.objects.get_or_create(event=event, name=n, defaults={"color": c})[0]
                  for n, c in (("Web", "#1f77b4"), ("Data", "#ff7f0e"))]
        tags = [Tag.objects.get_or_create(event=event, tag=t, defaults={"color": c})[0]
                for t, c in (("beginner", "#2ca02c"), ("advanced", "#d62728"), ("keynote", "#9467bd"))]
        for i, name in enumerate(("Main Hall", "Room B", "Workshop Room"), start=1):
            Room.objects.get_or_create(event=event, name=name, defaults={"capacity": 300 // i, "position": i})

        speakers = []
        for email, name in (("ada@example.org", "Ada Speaker"), ("bob@example.org", "Bob Speaker"),
                            ("cy@example.org", "Cy Speaker")):
            user = User.objects.filter(email=email).first() or User.objects.create_user(
                password="speaker-password", email=email, name=name)
            SpeakerProfile.objects.get_or_create(user=user, event=event, defaults={"biography": f"{name} talks."})
            speakers.append(user)

        plan = [("Django at scale", talk, tracks[0], [tags[1]], [0], "submitted"),
                ("Pandas for beginners", workshop, tracks[1], [tags[0]], [1], "submitted"),
                ("Keynote: the web in 2027", talk, tracks[0], [tags[2]], [2], "accepted"),
                ("Data pipelines", talk, tracks[1], [tags[1]], [0, 1], "submitted"),
                ("A rejected idea", talk, tracks[0], [], [2], "rejected")]
        for title, stype, track, stags, who, state in plan:
            sub = Submission.objects.filter(event=event, title=title).first()
            if sub is None:
                sub = Submission.objects.create(event=event, title=title, submission_type=stype, track=track,
                                                abstract=f"About {title}.", state=state, content_locale="en")
                sub.tags.set(stags)
                for idx in who:
                    sub.speakers.add(speakers[idx])
    print(f"seeded event {EVENT!r}: users {sorted(USERS.values())}, tokens for {sorted(TOKENS)}")
