from django.conf import settings
from django.db import models


class Category(models.Model):
    name = models.CharField(max_length=50, unique=True, help_text="Short category name.")

    def __str__(self) -> str:
        return self.name


class Customer(models.Model):
    TIERS = [("free", "Free"), ("pro", "Professional"), ("enterprise", "Enterprise")]

    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="customers"
    )
    name = models.CharField(max_length=100, help_text="Full name of the customer.")
    email = models.EmailField(blank=True)
    tier = models.CharField(max_length=20, choices=TIERS, default="free")
    credit_limit = models.DecimalField(max_digits=10, decimal_places=2, default=0)
    vip = models.BooleanField(default=False)
    notes = models.TextField(null=True, blank=True)
    category = models.ForeignKey(Category, null=True, blank=True, on_delete=models.SET_NULL)
    created = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["id"]

    def __str__(self) -> str:
        return self.name


class Invoice(models.Model):
    customer = models.ForeignKey(Customer, on_delete=models.CASCADE, related_name="invoices")
    number = models.CharField(max_length=20, unique=True)
    amount = models.DecimalField(max_digits=10, decimal_places=2)
    due = models.DateField()
    paid = models.BooleanField(default=False)

    class Meta:
        ordering = ["id"]


class Note(models.Model):
    text = models.CharField(max_length=200)
    slug = models.SlugField(unique=True)

    class Meta:
        ordering = ["id"]


class Attachment(models.Model):
    title = models.CharField(max_length=100)
    document = models.FileField(upload_to="attachments/")

    class Meta:
        ordering = ["id"]
