"""Demo data through oscar's own models: users with DRF tokens, catalogue, stock, addresses."""
from decimal import Decimal

from django.contrib.auth import get_user_model
from rest_framework.authtoken.models import Token

TOKENS = {"admin": "ad000000000000000000000000000000000000ad",
          "alice": "a11ce00000000000000000000000000000000000"}


def run():
    from oscar.core.loading import get_model

    User = get_user_model()
    Country = get_model("address", "Country")
    UserAddress = get_model("address", "UserAddress")
    ProductClass = get_model("catalogue", "ProductClass")
    Product = get_model("catalogue", "Product")
    Category = get_model("catalogue", "Category")
    ProductCategory = get_model("catalogue", "ProductCategory")
    Partner = get_model("partner", "Partner")
    StockRecord = get_model("partner", "StockRecord")

    if not User.objects.filter(username="admin").exists():
        User.objects.create_superuser("admin", "admin@example.com", "admin-password")
    if not User.objects.filter(username="alice").exists():
        User.objects.create_user("alice", "alice@example.com", "alice-password", first_name="Alice")
    for username, key in TOKENS.items():
        Token.objects.get_or_create(user=User.objects.get(username=username), defaults={"key": key})

    gb, _ = Country.objects.get_or_create(iso_3166_1_a2="GB", defaults={
        "iso_3166_1_a3": "GBR", "iso_3166_1_numeric": "826", "printable_name": "United Kingdom",
        "name": "United Kingdom of Great Britain", "is_shipping_country": True})
    Country.objects.get_or_create(iso_3166_1_a2="FR", defaults={
        "iso_3166_1_a3": "FRA", "iso_3166_1_numeric": "250", "printable_name": "France",
        "name": "French Republic", "is_shipping_country": True})

    if not Category.objects.exists():
        books = Category.add_root(name="Books", slug="books")
        books.add_child(name="Fiction", slug="fiction")
    books = Category.objects.get(slug="books")
    pc, _ = ProductClass.objects.get_or_create(name="Book", defaults={"slug": "book"})
    partner, _ = Partner.objects.get_or_create(name="Warehouse", defaults={"code": "warehouse"})
    for i, title in enumerate(["Dune", "Emma", "Ulysses"], start=1):
        p, created = Product.objects.get_or_create(title=title, defaults={
            "product_class": pc, "upc": f"978000000000{i}", "structure": "standalone",
            "description": f"The book {title}."})
        if created:
            ProductCategory.objects.create(product=p, category=books)
            StockRecord.objects.create(product=p, partner=partner, partner_sku=f"SKU{i}",
                                       price_currency="GBP", price=Decimal("9.99") + i,
                                       num_in_stock=10 * i)
    alice = User.objects.get(username="alice")
    if not UserAddress.objects.filter(user=alice).exists():
        UserAddress.objects.create(user=alice, first_name="Alice", last_name="Smith",
                                   line1="1 High Street", line4="London", postcode="SW1A 1AA",
                                   country=gb)
    print("seeded:", {m.__name__: m.objects.count() for m in (User, Product, Category, StockRecord, UserAddress, Country)})
