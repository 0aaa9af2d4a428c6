using CommerceOS.Core.Billing.Payments;
using CommerceOS.Core.Jobs;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace CommerceOS.Core.Billing;

public static class BillingServiceCollectionExtensions
{
    /// <summary>
    /// Plans and payments: checkout, trials, the webhook inbox and its processing, reconciliation, and the local test
    /// gateway (unless <c>Billing:TestGateway</c> is false). The vendor gateways come from <c>AddPaymentGateways</c> in Connectors.
    /// </summary>
    public static IServiceCollection AddBilling(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<BillingOptions>()
            .Bind(configuration.GetSection(BillingOptions.Section))
            .Validate(o => o.TrialDays is > 0 and <= 90, "Billing:TrialDays must be 1–90.")
            .ValidateOnStart();
        services.TryAddSingleton(TimeProvider.System);
        if (configuration.GetValue($"{BillingOptions.Section}:{nameof(BillingOptions.TestGateway)}", true))
        {
            services.AddSingleton<TestPaymentGateway>();
            services.TryAddEnumerable(ServiceDescriptor.Singleton<IPaymentGateway, TestPaymentGateway>(sp => sp.GetRequiredService<TestPaymentGateway>()));
        }

        services.AddSingleton<PaymentGatewayRegistry>();
        services.AddScoped<StartCheckout>();
        services.AddScoped<StartTrial>();
        services.AddScoped<ChangePlan>();
        services.AddScoped<SetEnterprisePlan>();
        services.AddScoped<BillingQueries>();
        services.AddScoped<ReceiveWebhook>();
        services.AddScoped<FulfilOrder>();
        services.AddScoped<ApplyGatewaySubscription>();
        services.AddSingleton<ProcessPaymentEvent>();
        services.AddSingleton<PaymentReconciliation>();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IRecurringSweep, PaymentReconciliation>(sp => sp.GetRequiredService<PaymentReconciliation>()));
        return services;
    }
}
