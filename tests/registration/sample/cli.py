def register(sub):
    p = sub.add_parser("sample", help="示例能力")
    p.set_defaults(func=lambda args: print("示例能力的命令"))
