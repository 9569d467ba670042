from django.db import models


class Item(models.Model):
    name = models.CharField(max_length=100)
    sku = models.CharField(max_length=20)
    price = models.DecimalField(max_digits=8, decimal_places=2)
    in_stock = models.BooleanField(default=True)
    created = models.DateTimeField(auto_now_add=True)

    class Meta:
        app_label = "benchapp"
        ordering = ["id"]


class Customer(models.Model):
    """The realistic benchmark (bench/bench_realistic.py): a customer with an owner."""

    owner = models.ForeignKey("auth.User", on_delete=models.CASCADE, related_name="+")
    name = models.CharField(max_length=100)
    email = models.EmailField(blank=True)

    class Meta:
        app_label = "benchapp"
        ordering = ["id"]


class Order(models.Model):
    customer = models.ForeignKey(Customer, on_delete=models.CASCADE, related_name="orders")
    number = models.CharField(max_length=20)
    amount = models.DecimalField(max_digits=10, decimal_places=2)
    due = models.DateField()
    paid = models.BooleanField(default=False)
    created = models.DateTimeField(auto_now_add=True)

    class Meta:
        app_label = "benchapp"
        ordering = ["id"]
