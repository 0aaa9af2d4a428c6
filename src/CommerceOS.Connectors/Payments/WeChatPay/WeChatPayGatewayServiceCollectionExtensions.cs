using CommerceOS.Connectors.Marketplaces;
using CommerceOS.Core.Billing.Payments;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace CommerceOS.Connectors.Payments.WeChatPay;

public static class WeChatPayGatewayServiceCollectionExtensions
{
    /// <summary>
    /// The WeChat Pay v3 gateway with its named client, options from <c>Billing:WeChatPay</c>. The gateway is offered only
    /// when the merchant credentials are all there; a v3 key of the wrong length fails when the options are first read.
    /// </summary>
    public static IServiceCollection AddWeChatPayGateway(this IServiceCollection services, IConfiguration configuration)
    {
        MarketplaceHttp.AddClient<WeChatPayOptions>(services, configuration, WeChatPayOptions.Section, WeChatPayGateway.ClientName);
        // Added after the resilience handler, so inside it: every attempt gets its own timestamp, nonce and signature.
        services.AddHttpClient(WeChatPayGateway.ClientName)
            .AddHttpMessageHandler(provider => new WeChatPaySigningHandler(provider.GetRequiredService<IOptions<WeChatPayOptions>>(), provider.GetRequiredService<TimeProvider>()));

        var options = configuration.GetSection(WeChatPayOptions.Section).Get<WeChatPayOptions>();
        if (options?.IsConfigured == true)
        {
            services.AddOptions<WeChatPayOptions>()
                .Validate(o => o.ApiV3KeyValid, $"{WeChatPayOptions.Section}:ApiV3Key must be exactly {WeChatPayOptions.ApiV3KeyBytes} bytes (UTF-8).")
                .ValidateOnStart();
            services.TryAddEnumerable(ServiceDescriptor.Singleton<IPaymentGateway, WeChatPayGateway>());
        }

        return services;
    }
}
