using CommerceOS.Connectors.Marketplaces;
using CommerceOS.Core.Billing.Payments;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace CommerceOS.Connectors.Payments.Alipay;

public static class AlipayGatewayServiceCollectionExtensions
{
    /// <summary>
    /// Binds <see cref="AlipayOptions"/> from <c>Billing:Alipay</c> (validated at start-up once configured), adds the named
    /// HttpClient (no redirects; only the read-only trade.query is sent again after a 5xx or a timeout), and registers the
    /// Alipay <see cref="IPaymentGateway"/> only when the app id and both keys are set.
    /// </summary>
    public static IServiceCollection AddAlipayGateway(this IServiceCollection services, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        MarketplaceHttp.AddClient<AlipayOptions>(services, configuration, AlipayOptions.Section, AlipayGateway.ClientName);
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<AlipayOptions>, AlipayOptionsValidator>());
        services.AddOptions<AlipayOptions>().ValidateOnStart();

        var configured = new AlipayOptions();
        configuration.GetSection(AlipayOptions.Section).Bind(configured);
        if (configured.IsConfigured)
        {
            services.TryAddEnumerable(ServiceDescriptor.Singleton<IPaymentGateway, AlipayGateway>());
        }

        return services;
    }
}
