using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace CommerceOS.Core.Billing;

public static class UsageServiceCollectionExtensions
{
    /// <summary>
    /// Registers the scoped <see cref="UsageLedger"/> and <see cref="UsageOptions"/> (section <c>Usage</c>).
    /// Needs <c>AddDatabase</c>. Safe to call more than once (<c>AddJobs</c> calls it too).
    /// </summary>
    public static IServiceCollection AddUsage(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<UsageOptions>()
            .Bind(configuration.GetSection(UsageOptions.Section))
            .Validate(o => o.ReservationTtl > TimeSpan.Zero, "Usage:ReservationTtl must be positive.")
            .ValidateOnStart();
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddScoped<UsageLedger>();
        services.TryAddScoped<MeteredJobs>();
        return services;
    }
}
