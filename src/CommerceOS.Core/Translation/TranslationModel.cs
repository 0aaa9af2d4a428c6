using CommerceOS.Core.Data;
using Microsoft.EntityFrameworkCore;

namespace CommerceOS.Core.Translation;

internal static class TranslationModel
{
    public const int MaxLanguageLength = 10;

    public static void Configure(ModelBuilder builder)
    {
        builder.Entity<TranslationMemoryEntry>(entry =>
        {
            entry.ToTable("TranslationMemory");
            entry.Property(e => e.SourceLanguage).HasMaxLength(MaxLanguageLength);
            entry.Property(e => e.TargetLanguage).HasMaxLength(MaxLanguageLength);
            entry.Property(e => e.SourceKeyHash).HasMaxLength(64).IsFixedLength();
            entry.Property(e => e.SourceTextHash).HasMaxLength(64).IsFixedLength();
            entry.Property(e => e.SourceKey).HasMaxLength(TranslationLimits.MaxSegmentLength);
            entry.Property(e => e.SourceText).HasMaxLength(TranslationLimits.MaxSegmentLength);
            entry.Property(e => e.TargetText).HasMaxLength(TranslationLimits.MaxSegmentLength);
            entry.Property(e => e.MaskedTarget).HasMaxLength(TranslationLimits.MaxSegmentLength);
            entry.Property(e => e.ProtectedValues).HasJsonConversion();
            entry.HasIndex(e => new { e.WorkspaceId, e.SourceLanguage, e.TargetLanguage, e.SourceTextHash }).IsUnique();
            entry.HasIndex(e => new { e.WorkspaceId, e.SourceLanguage, e.TargetLanguage, e.SourceKeyHash });
            entry.HasIndex(e => new { e.WorkspaceId, e.SourceLanguage, e.TargetLanguage, e.SourceKeyLength });
            entry.HasOne<Workspaces.Workspace>().WithMany().HasForeignKey(e => e.WorkspaceId).OnDelete(DeleteBehavior.Cascade);
        });
    }
}
