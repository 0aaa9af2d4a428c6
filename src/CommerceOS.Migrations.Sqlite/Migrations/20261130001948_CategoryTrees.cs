using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace CommerceOS.Migrations.Sqlite.Migrations
{
    /// <inheritdoc />
    public partial class CategoryTrees : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "MarketplaceCategoryCaches",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "TEXT", nullable: false),
                    WorkspaceId = table.Column<Guid>(type: "TEXT", nullable: false),
                    ConnectionId = table.Column<Guid>(type: "TEXT", nullable: false),
                    Platform = table.Column<string>(type: "TEXT", maxLength: 40, nullable: false),
                    Language = table.Column<string>(type: "TEXT", maxLength: 20, nullable: false),
                    Complete = table.Column<bool>(type: "INTEGER", nullable: false),
                    NodeCount = table.Column<int>(type: "INTEGER", nullable: false),
                    LeafCount = table.Column<int>(type: "INTEGER", nullable: false),
                    FetchedAt = table.Column<DateTime>(type: "TEXT", nullable: false),
                    Payload = table.Column<byte[]>(type: "BLOB", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_MarketplaceCategoryCaches", x => x.Id);
                    table.ForeignKey(
                        name: "FK_MarketplaceCategoryCaches_MarketplaceConnections_ConnectionId",
                        column: x => x.ConnectionId,
                        principalTable: "MarketplaceConnections",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                    table.ForeignKey(
                        name: "FK_MarketplaceCategoryCaches_Workspaces_WorkspaceId",
                        column: x => x.WorkspaceId,
                        principalTable: "Workspaces",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateIndex(
                name: "IX_MarketplaceCategoryCaches_ConnectionId",
                table: "MarketplaceCategoryCaches",
                column: "ConnectionId",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_MarketplaceCategoryCaches_WorkspaceId",
                table: "MarketplaceCategoryCaches",
                column: "WorkspaceId");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "MarketplaceCategoryCaches");
        }
    }
}
