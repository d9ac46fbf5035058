# Writes the manual page (berdaya man) and the bash completion (berdaya completion bash)
# from the built executable, so both follow its commands and options.
#   cmake -DEXE=path/to/berdaya -DOUT_DIR=folder -P generate_docs.cmake
foreach(job "man|berdaya.1" "completion bash|berdaya.bash-completion")
  string(REPLACE "|" ";" job "${job}")
  list(GET job 0 args)
  list(GET job 1 file)
  separate_arguments(args)
  execute_process(COMMAND "${EXE}" ${args} OUTPUT_FILE "${OUT_DIR}/${file}.tmp" RESULT_VARIABLE rc
                  ERROR_VARIABLE err)
  if(NOT rc EQUAL 0)
    file(REMOVE "${OUT_DIR}/${file}.tmp")
    message(FATAL_ERROR "${EXE} ${args} failed (${rc}): ${err}")
  endif()
  file(RENAME "${OUT_DIR}/${file}.tmp" "${OUT_DIR}/${file}")
endforeach()
