using CommerceOS.Connectors.Payments.Alipay;
using CommerceOS.Connectors.Payments.Stripe;
using CommerceOS.Connectors.Payments.WeChatPay;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace CommerceOS.Connectors.Payments;

public static class PaymentGatewaysServiceCollectionExtensions
{
    /// <summary>Stripe, Alipay and WeChat Pay, each offered only when its keys are configured (<c>Billing:{Gateway}:*</c>).</summary>
    public static IServiceCollection AddPaymentGateways(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddStripeGateway(configuration);
        services.AddAlipayGateway(configuration);
        services.AddWeChatPayGateway(configuration);
        return services;
    }
}
