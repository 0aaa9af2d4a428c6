using CommerceOS.Core.Marketplaces;
using Microsoft.Extensions.DependencyInjection;

namespace CommerceOS.Engines.Compliance;

public static class ComplianceServiceCollectionExtensions
{
    /// <summary>Registers <see cref="LocalComplianceChecker"/> (libvips, stateless) as the singleton <see cref="IComplianceChecker"/>.</summary>
    public static IServiceCollection AddLocalCompliance(this IServiceCollection services)
    {
        services.AddSingleton<IComplianceChecker, LocalComplianceChecker>();
        return services;
    }
}
