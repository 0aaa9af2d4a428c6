using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace CommerceOS.Migrations.Postgres.Migrations
{
    /// <inheritdoc />
    public partial class ListingCopy : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "ListingCopies",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "uuid", nullable: false),
                    WorkspaceId = table.Column<Guid>(type: "uuid", nullable: false),
                    ProductId = table.Column<Guid>(type: "uuid", nullable: false),
                    Marketplace = table.Column<string>(type: "character varying(40)", maxLength: 40, nullable: false),
                    Language = table.Column<string>(type: "character varying(10)", maxLength: 10, nullable: false),
                    CurrentVersion = table.Column<int>(type: "integer", nullable: false),
                    ApprovedVersion = table.Column<int>(type: "integer", nullable: true),
                    Locked = table.Column<bool>(type: "boolean", nullable: false),
                    ApprovedByUserId = table.Column<Guid>(type: "uuid", nullable: true),
                    ApprovedAt = table.Column<DateTime>(type: "timestamp with time zone", nullable: true),
                    LastFailureJson = table.Column<string>(type: "text", nullable: true),
                    LastFailureJobId = table.Column<Guid>(type: "uuid", nullable: true),
                    CreatedAt = table.Column<DateTime>(type: "timestamp with time zone", nullable: false),
                    UpdatedAt = table.Column<DateTime>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_ListingCopies", x => x.Id);
                    table.ForeignKey(
                        name: "FK_ListingCopies_Products_ProductId",
                        column: x => x.ProductId,
                        principalTable: "Products",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                    table.ForeignKey(
                        name: "FK_ListingCopies_Workspaces_WorkspaceId",
                        column: x => x.WorkspaceId,
                        principalTable: "Workspaces",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "ListingCopyVersions",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "uuid", nullable: false),
                    WorkspaceId = table.Column<Guid>(type: "uuid", nullable: false),
                    ListingCopyId = table.Column<Guid>(type: "uuid", nullable: false),
                    Number = table.Column<int>(type: "integer", nullable: false),
                    Source = table.Column<int>(type: "integer", nullable: false),
                    Engine = table.Column<string>(type: "character varying(40)", maxLength: 40, nullable: false),
                    Model = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: true),
                    Tone = table.Column<string>(type: "character varying(20)", maxLength: 20, nullable: true),
                    Seed = table.Column<int>(type: "integer", nullable: true),
                    TextJson = table.Column<string>(type: "text", nullable: false),
                    TracesJson = table.Column<string>(type: "text", nullable: false),
                    IssuesJson = table.Column<string>(type: "text", nullable: false),
                    TranslationJson = table.Column<string>(type: "text", nullable: true),
                    TranslatedFromVersionId = table.Column<Guid>(type: "uuid", nullable: true),
                    JobId = table.Column<Guid>(type: "uuid", nullable: true),
                    CreatedByUserId = table.Column<Guid>(type: "uuid", nullable: true),
                    CreatedAt = table.Column<DateTime>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_ListingCopyVersions", x => x.Id);
                    table.ForeignKey(
                        name: "FK_ListingCopyVersions_ListingCopies_ListingCopyId",
                        column: x => x.ListingCopyId,
                        principalTable: "ListingCopies",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateIndex(
                name: "IX_ListingCopies_ProductId",
                table: "ListingCopies",
                column: "ProductId");

            migrationBuilder.CreateIndex(
                name: "IX_ListingCopies_WorkspaceId",
                table: "ListingCopies",
                column: "WorkspaceId");

            migrationBuilder.CreateIndex(
                name: "IX_ListingCopies_WorkspaceId_ProductId_Marketplace_Language",
                table: "ListingCopies",
                columns: new[] { "WorkspaceId", "ProductId", "Marketplace", "Language" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_ListingCopyVersions_ListingCopyId_JobId",
                table: "ListingCopyVersions",
                columns: new[] { "ListingCopyId", "JobId" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_ListingCopyVersions_ListingCopyId_Number",
                table: "ListingCopyVersions",
                columns: new[] { "ListingCopyId", "Number" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_ListingCopyVersions_WorkspaceId",
                table: "ListingCopyVersions",
                column: "WorkspaceId");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "ListingCopyVersions");

            migrationBuilder.DropTable(
                name: "ListingCopies");
        }
    }
}
