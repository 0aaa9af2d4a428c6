using CommerceOS.Core.Data;
using CommerceOS.Core.Workspaces;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Design;

namespace CommerceOS.Migrations.Sqlite;

/// <summary>Lets <c>dotnet ef migrations add</c> build the model for SQLite without the web host.</summary>
public sealed class DesignTimeFactory : IDesignTimeDbContextFactory<AppDbContext>
{
    public AppDbContext CreateDbContext(string[] args)
    {
        var builder = new DbContextOptionsBuilder<AppDbContext>();
        DatabaseServiceCollectionExtensions.Configure(builder, DatabaseOptions.Sqlite, "Data Source=design-time.db");
        return new AppDbContext(builder.Options, new WorkspaceContext());
    }
}
