namespace CommerceOS.Core.Billing.Payments;

/// <summary>The gateways registered in this deployment (the test gateway only when <see cref="BillingOptions.TestGateway"/> is on).</summary>
public sealed class PaymentGatewayRegistry(IEnumerable<IPaymentGateway> gateways)
{
    private readonly Dictionary<string, IPaymentGateway> _byId = gateways.ToDictionary(g => g.Id, StringComparer.OrdinalIgnoreCase);

    public IReadOnlyCollection<IPaymentGateway> All => _byId.Values;

    public IPaymentGateway? Find(string? id) => id is null ? null : _byId.GetValueOrDefault(id.Trim());
}
