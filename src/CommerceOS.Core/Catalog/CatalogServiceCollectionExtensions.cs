using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace CommerceOS.Core.Catalog;

public static class CatalogServiceCollectionExtensions
{
    /// <summary>
    /// Registers the catalog use cases (products, photos, brands, CSV import/export) as scoped
    /// handlers. They need <see cref="Data.AppDbContext"/> and <see cref="Workspaces.WorkspaceContext"/>
    /// (from <c>AddDatabase</c>) and a <see cref="TimeProvider"/> (the system clock unless one is
    /// registered already).
    /// </summary>
    public static IServiceCollection AddCatalog(this IServiceCollection services)
    {
        services.TryAddSingleton(TimeProvider.System);

        services.AddScoped<CreateProduct>();
        services.AddScoped<UpdateProduct>();
        services.AddScoped<GetProduct>();
        services.AddScoped<ListProducts>();
        services.AddScoped<DuplicateProduct>();
        services.AddScoped<DeleteProduct>();
        services.AddScoped<AddPhoto>();
        services.AddScoped<RemovePhoto>();
        services.AddScoped<ReorderPhotos>();

        services.AddScoped<CreateBrand>();
        services.AddScoped<UpdateBrand>();
        services.AddScoped<DeleteBrand>();
        services.AddScoped<GetBrand>();
        services.AddScoped<ListBrands>();

        services.AddScoped<ImportProductsCsv>();
        services.AddScoped<ExportProductsCsv>();
        return services;
    }
}
