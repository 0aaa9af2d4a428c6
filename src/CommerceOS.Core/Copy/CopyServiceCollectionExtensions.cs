using CommerceOS.Core.Jobs;
using Microsoft.Extensions.DependencyInjection;

namespace CommerceOS.Core.Copy;

public static class CopyServiceCollectionExtensions
{
    /// <summary>The listing-copy use cases and jobs. The <see cref="ICopyEngine"/> comes from <c>AddLocalCopy</c> (or the LLM's),
    /// the translator from <c>AddLocalTranslation</c>/<c>AddTranslation</c> and the SEO engine from <c>AddLocalSeo</c>.</summary>
    public static IServiceCollection AddCopy(this IServiceCollection services)
    {
        services.AddScoped<CopyStore>();
        services.AddScoped<CopyTranslation>();
        services.AddScoped<RequestCopy>();
        services.AddScoped<RequestTranslations>();
        services.AddScoped<GetListingCopy>();
        services.AddScoped<EditListingCopy>();
        services.AddScoped<ApproveListingCopy>();
        services.AddScoped<UnlockListingCopy>();
        services.AddScoped<DiffListingCopy>();
        services.AddJobHandler<GenerateCopyJob>(RequestCopy.JobKind);
        services.AddJobHandler<TranslateCopyJob>(RequestTranslations.JobKind);
        return services;
    }
}
