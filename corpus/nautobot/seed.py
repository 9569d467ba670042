"""Demo data for the nautobot corpus project. Idempotent. Run: python manage.py nbshell -c "import seed; seed.run()"."""

TOKENS = {
    "alice": "a11ce00000000000000000000000000000000000",
    "admin": "ad000000000000000000000000000000000000ad",
}
# alice: view on most of dcim/extras below, add/change/delete on dcim.Manufacturer only.
ALICE_VIEW = [
    ("dcim", "location"), ("dcim", "locationtype"), ("dcim", "device"), ("dcim", "devicetype"),
    ("dcim", "manufacturer"), ("dcim", "interface"), ("dcim", "platform"),
    ("extras", "tag"), ("extras", "status"), ("extras", "role"), ("extras", "objectchange"),
]
ALICE_WRITE = [("dcim", "manufacturer")]


def run():
    from django.contrib.auth import get_user_model
    from django.contrib.contenttypes.models import ContentType

    from nautobot.dcim.choices import InterfaceTypeChoices
    from nautobot.dcim.models import Device, DeviceType, Interface, Location, LocationType, Manufacturer, Platform
    from nautobot.extras.models import Role, Status, Tag
    from nautobot.users.models import ObjectPermission, Token

    User = get_user_model()
    admin = User.objects.filter(username="admin").first()
    if admin is None:
        admin = User.objects.create_superuser("admin", "admin@example.com", "admin")
    alice = User.objects.filter(username="alice").first()
    if alice is None:
        alice = User.objects.create_user("alice", "alice@example.com", "alice")
    for who, user in (("alice", alice), ("admin", admin)):
        Token.objects.update_or_create(key=TOKENS[who], defaults={"user": user, "description": "corpus"})

    ct = lambda app, model: ContentType.objects.get(app_label=app, model=model)  # noqa: E731
    view, _ = ObjectPermission.objects.update_or_create(name="corpus alice view", defaults={"actions": ["view"]})
    view.object_types.set([ct(a, m) for a, m in ALICE_VIEW])
    view.users.set([alice])
    write, _ = ObjectPermission.objects.update_or_create(
        name="corpus alice manufacturers", defaults={"actions": ["add", "change", "delete"]}
    )
    write.object_types.set([ct(a, m) for a, m in ALICE_WRITE])
    write.users.set([alice])

    active = Status.objects.get(name="Active")
    for model in (Location, Device, Interface):
        active.content_types.add(ContentType.objects.get_for_model(model))

    tag, _ = Tag.objects.get_or_create(name="corpus", defaults={"color": "2196f3"})
    tag.content_types.add(*(ContentType.objects.get_for_model(m) for m in (Location, Device, Interface, Manufacturer)))

    site_type, _ = LocationType.objects.get_or_create(name="Site", defaults={"nestable": False})
    site_type.content_types.add(ContentType.objects.get_for_model(Device))
    site, _ = Location.objects.get_or_create(name="Leeds DC", defaults={"location_type": site_type, "status": active})
    site.tags.add(tag)

    role, _ = Role.objects.get_or_create(name="Leaf switch", defaults={"color": "4caf50"})
    role.content_types.add(ContentType.objects.get_for_model(Device))

    acme, _ = Manufacturer.objects.get_or_create(name="Acme Networks", defaults={"description": "corpus vendor"})
    Manufacturer.objects.get_or_create(name="Globex")
    platform, _ = Platform.objects.get_or_create(name="AcmeOS", defaults={"manufacturer": acme})
    dtype, _ = DeviceType.objects.get_or_create(manufacturer=acme, model="AX-48", defaults={"u_height": 1})

    for n in (1, 2):
        device, _ = Device.objects.get_or_create(
            name=f"leaf-{n:02d}",
            defaults={"device_type": dtype, "role": role, "location": site, "status": active, "platform": platform},
        )
        device.tags.add(tag)
        for port in range(1, 4):
            Interface.objects.get_or_create(
                device=device,
                name=f"eth{port}",
                defaults={"type": InterfaceTypeChoices.TYPE_10GE_SFP_PLUS, "status": active},
            )

    # what an interrupted round trip (corpus/test_corpus.py) left behind: Manufacturer.name is unique
    Manufacturer.objects.filter(name__startswith="Corpus Manufacturer").delete()

    counts = {m.__name__: m.objects.count() for m in (Location, Manufacturer, DeviceType, Device, Interface, Tag)}
    print("seeded:", counts, "users:", sorted(User.objects.values_list("username", flat=True)))
