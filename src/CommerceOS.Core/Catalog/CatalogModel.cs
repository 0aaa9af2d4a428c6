using CommerceOS.Core.Data;
using Microsoft.EntityFrameworkCore;

namespace CommerceOS.Core.Catalog;

internal static class CatalogModel
{
    public static void Configure(ModelBuilder builder)
    {
        builder.Entity<Product>(product =>
        {
            product.Property(p => p.Sku).HasMaxLength(64);
            product.Property(p => p.Title).HasMaxLength(500);
            product.Property(p => p.Description).HasMaxLength(20_000);
            product.Property(p => p.Category).HasMaxLength(200);
            product.Property(p => p.TargetAudience).HasMaxLength(500);
            product.Property(p => p.Attributes).HasJsonConversion();
            product.Property(p => p.SellingPoints).HasJsonConversion();
            product.HasIndex(p => new { p.WorkspaceId, p.Sku }).IsUnique();
            product.HasIndex(p => new { p.WorkspaceId, p.UpdatedAt });
            product.HasMany(p => p.Variants).WithOne().HasForeignKey(v => v.ProductId).OnDelete(DeleteBehavior.Cascade);
            product.HasMany(p => p.Photos).WithOne().HasForeignKey(p => p.ProductId).OnDelete(DeleteBehavior.Cascade);
            product.HasOne<Workspaces.Workspace>().WithMany().HasForeignKey(p => p.WorkspaceId).OnDelete(DeleteBehavior.Cascade);
            product.HasOne<Brand>().WithMany().HasForeignKey(p => p.BrandId).OnDelete(DeleteBehavior.SetNull);
        });

        builder.Entity<ProductVariant>(variant =>
        {
            variant.Property(v => v.Sku).HasMaxLength(64);
            variant.Property(v => v.Currency).HasMaxLength(3).IsFixedLength();
            variant.Property(v => v.Options).HasJsonConversion();
            variant.HasIndex(v => new { v.WorkspaceId, v.Sku }).IsUnique();
        });

        builder.Entity<ProductPhoto>(photo =>
        {
            photo.HasIndex(p => new { p.ProductId, p.AssetId }).IsUnique();
            photo.HasOne<Assets.Asset>().WithMany().HasForeignKey(p => p.AssetId).OnDelete(DeleteBehavior.Cascade);
        });

        builder.Entity<Brand>(brand =>
        {
            brand.Property(b => b.Name).HasMaxLength(100);
            brand.Property(b => b.Voice).HasMaxLength(2000);
            brand.Property(b => b.Tone).HasMaxLength(40);
            brand.Property(b => b.Palette).HasJsonConversion();
            brand.Property(b => b.Fonts).HasJsonConversion(() => new BrandFonts("Noto Sans", "Noto Sans"));
            brand.Property(b => b.BannedWords).HasJsonConversion();
            brand.Property(b => b.Glossary).HasJsonConversion();
            brand.HasIndex(b => new { b.WorkspaceId, b.Name }).IsUnique();
            brand.HasOne<Workspaces.Workspace>().WithMany().HasForeignKey(b => b.WorkspaceId).OnDelete(DeleteBehavior.Cascade);
            brand.HasOne<Assets.Asset>().WithMany().HasForeignKey(b => b.LogoAssetId).OnDelete(DeleteBehavior.SetNull);
        });
    }
}
