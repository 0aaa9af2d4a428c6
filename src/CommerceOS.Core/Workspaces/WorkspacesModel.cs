using Microsoft.EntityFrameworkCore;

namespace CommerceOS.Core.Workspaces;

internal static class WorkspacesModel
{
    public static void Configure(ModelBuilder builder)
    {
        builder.Entity<Workspace>(workspace =>
        {
            workspace.Property(w => w.Name).HasMaxLength(100);
            workspace.Property(w => w.DataRegion).HasMaxLength(8);
        });

        builder.Entity<WorkspaceMember>(member =>
        {
            member.HasIndex(m => new { m.WorkspaceId, m.UserId }).IsUnique();
            member.HasIndex(m => m.UserId);
            member.HasOne<Workspace>().WithMany().HasForeignKey(m => m.WorkspaceId).OnDelete(DeleteBehavior.Cascade);
            member.HasOne<Accounts.AppUser>().WithMany().HasForeignKey(m => m.UserId).OnDelete(DeleteBehavior.Cascade);
        });

        builder.Entity<WorkspaceInvitation>(invitation =>
        {
            invitation.Property(i => i.Email).HasMaxLength(256);
            invitation.Property(i => i.TokenHash).HasMaxLength(64);
            invitation.HasIndex(i => i.TokenHash).IsUnique();
            invitation.HasOne<Workspace>().WithMany().HasForeignKey(i => i.WorkspaceId).OnDelete(DeleteBehavior.Cascade);
        });
    }
}
