# ac_target_sources(<target> [PRIVATE|PUBLIC|INTERFACE] a.ac b.ac ...)
#
# Adds .ac sources to <target>.  Each a.ac becomes, at build time,
#
#   acc a.ac -o <bin>/ac_gen/a.c --header <bin>/ac_gen/a.h --depfile <bin>/ac_gen/a.d
#       -I <dir of a.ac> -I <bin>/ac_gen -I <each include dir of <target>>
#
# where <bin> is the current binary directory (an .ac file in a subdirectory
# of the current source directory keeps that subdirectory under ac_gen/).  The
# depfile lists every header acc read, so editing a.ac or one of those headers
# regenerates a.c and a.h and nothing else.  a.c is added to <target> with the
# given scope (default PRIVATE); the directory of a.h and the directory of a.ac
# to its include directories (a.c, compiled from ac_gen/, finds the headers
# a.ac includes with quotes, such as a "types.h" beside it; a.h repeats those
# includes, hence the same scope); and libac to its link libraries (with the
# last scope given).
#
# The depfile names its files with absolute paths, which the Ninja generator
# reads correctly only under policy CMP0116 NEW: the function sets it for its
# own add_custom_command calls, whatever the calling project's policies (with
# cmake_minimum_required(VERSION 3.16) it would be unset, and every build
# would regenerate everything).  The package needs CMake 3.20 (accConfig.cmake).
#
# Cross-file awaits need no ordering: when a.ac includes "b.h" and b.h is not
# generated yet, acc reads the declarations from b.ac (found through -I).
#
# Used both inside the acc project and by installed packages (accConfig.cmake):
# acc::acc is the generator, acc::ac_static the runtime that gets linked
# (set AC_LINK_LIBRARY to acc::ac for the shared one).

set(AC_LINK_LIBRARY acc::ac_static CACHE STRING "libac target that ac_target_sources links")

function(ac_target_sources target)
  cmake_policy(PUSH)
  cmake_policy(SET CMP0116 NEW)
  set(scope PRIVATE)
  set(gen_root ${CMAKE_CURRENT_BINARY_DIR}/ac_gen)
  set(tgt_includes $<TARGET_PROPERTY:${target},INCLUDE_DIRECTORIES>)
  set(out_dirs "")
  set(src_dirs "")
  foreach(arg IN LISTS ARGN)
    if(arg MATCHES "^(PRIVATE|PUBLIC|INTERFACE)$")
      set(scope ${arg})
      continue()
    endif()

    get_filename_component(src ${arg} ABSOLUTE BASE_DIR ${CMAKE_CURRENT_SOURCE_DIR})
    get_filename_component(name ${src} NAME_WE)
    get_filename_component(src_dir ${src} DIRECTORY)
    file(RELATIVE_PATH rel ${CMAKE_CURRENT_SOURCE_DIR} ${src_dir})
    if(rel MATCHES "^\\.\\." OR IS_ABSOLUTE "${rel}")
      set(rel "")
    endif()
    set(out_dir ${gen_root})
    if(rel)
      set(out_dir ${gen_root}/${rel})
    endif()
    file(RELATIVE_PATH shown ${CMAKE_SOURCE_DIR} ${src})
    set(out_c ${out_dir}/${name}.c)
    set(out_h ${out_dir}/${name}.h)

    add_custom_command(
      OUTPUT ${out_c} ${out_h}
      COMMAND ${CMAKE_COMMAND} -E make_directory ${out_dir}
      COMMAND acc::acc ${src} -o ${out_c} --header ${out_h} --depfile ${out_dir}/${name}.d
              -I ${src_dir} -I ${out_dir}
              "$<$<BOOL:${tgt_includes}>:-I;$<JOIN:${tgt_includes},;-I;>>"
      DEPENDS ${src} $<TARGET_FILE:acc::acc>
      DEPFILE ${out_dir}/${name}.d
      COMMAND_EXPAND_LISTS
      COMMENT "acc ${shown}"
      VERBATIM)
    list(APPEND out_dirs ${out_dir})
    list(APPEND src_dirs ${src_dir})

    target_sources(${target} ${scope} ${out_c})
  endforeach()

  list(REMOVE_DUPLICATES out_dirs)
  list(REMOVE_DUPLICATES src_dirs)
  target_include_directories(${target} ${scope} "$<BUILD_INTERFACE:${out_dirs};${src_dirs}>")
  target_link_libraries(${target} ${scope} ${AC_LINK_LIBRARY})
  cmake_policy(POP)
endfunction()
