using CommerceOS.Connectors.Marketplaces;
using CommerceOS.Core.Billing.Payments;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace CommerceOS.Connectors.Payments.Stripe;

public static class StripeGatewayServiceCollectionExtensions
{
    /// <summary>
    /// Binds <see cref="StripeOptions"/> from <c>Billing:Stripe</c>, adds the named HttpClient (GETs, DELETEs and POSTs
    /// carrying an Idempotency-Key are retried; Stripe-Should-Retry is obeyed) and, only when a secret key is set,
    /// registers the Stripe <see cref="IPaymentGateway"/>.
    /// </summary>
    public static IServiceCollection AddStripeGateway(this IServiceCollection services, IConfiguration configuration)
    {
        MarketplaceHttp.AddClient<StripeOptions>(services, configuration, StripeOptions.Section, StripeGateway.ClientName, StripeGateway.ShouldRetryHeader);
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<StripeOptions>, StripeOptionsValidator>());
        services.AddOptions<StripeOptions>().ValidateOnStart();
        if (configuration.GetSection(StripeOptions.Section).Get<StripeOptions>() is { IsConfigured: true })
        {
            services.TryAddEnumerable(ServiceDescriptor.Singleton<IPaymentGateway, StripeGateway>());
        }

        return services;
    }
}
